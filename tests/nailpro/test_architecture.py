"""Dependencies point one way (ARCHITECTURE.md): core (nailpro) ← catalog, billing ← clients ←
visits ← agenda, gallery ← business. A lower app never imports a higher one, nor a sibling.

Every module of the project is read with `ast`: its imports (at the top and inside functions),
and the "app_label.Model" strings it gives to ForeignKey / ManyToManyField / OneToOneField /
apps.get_model, and its migrations' dependencies. Only the project wiring may name every app.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEVELS = {
    "nailpro": 0,
    "catalog": 1,
    "billing": 1,
    "clients": 2,
    "visits": 3,
    "agenda": 4,
    "gallery": 4,
    "business": 5,
}
# The project wiring names every app: settings, the root URLconf, the servers' entry points.
WIRING = {"nailpro/settings.py", "nailpro/urls.py", "nailpro/wsgi.py", "nailpro/asgi.py"}
# Edges made before this rule, kept on purpose: rewriting an applied migration's dependencies
# would change the order an older database migrates in. Nothing may be added here.
HISTORICAL = {
    # The plan leaves the account only once billing's subscriptions took it over (billing
    # 0002 copies it); without this edge an older database would lose every Pro plan.
    ("nailpro/migrations/0002_remove_account_plan.py", "billing"),
}
RELATION_CALLS = {"ForeignKey", "ManyToManyField", "OneToOneField", "get_model"}


def project_modules():
    for app in LEVELS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative not in WIRING:
                yield relative, path


def named_apps(path):
    """Yield (line, app) for every app the module names: imports, model strings, migrations."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]
        elif isinstance(node, ast.Call):
            function = node.func
            name = getattr(function, "attr", None) or getattr(function, "id", None)
            if name not in RELATION_CALLS:
                continue
            # ForeignKey("app.Model"), to="app.Model", get_model("app.Model") or ("app", "Model")
            values = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "to"]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    if "." in value.value:
                        yield node.lineno, value.value.split(".")[0].lower()
                    elif name == "get_model":
                        yield node.lineno, value.value.lower()
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "dependencies" for target in node.targets
        ):
            # A migration's dependencies: ("app", "0001_…") pairs.
            for element in ast.walk(node.value):
                if isinstance(element, ast.Tuple) and element.elts:
                    first = element.elts[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        yield element.lineno, first.value


def allowed(source, target):
    return target == source or LEVELS[target] < LEVELS[source]


def edges_against_the_direction():
    wrong = []
    for relative, path in project_modules():
        source = relative.split("/")[0]
        for line, target in named_apps(path):
            if (relative, target) in HISTORICAL:
                continue
            if target in LEVELS and not allowed(source, target):
                wrong.append(f"{relative}:{line} {source} → {target}")
    return wrong


def test_dependencies_point_one_way():
    assert edges_against_the_direction() == []


def test_the_historical_exceptions_still_exist():
    for relative, target in HISTORICAL:
        assert target in {app for _, app in named_apps(ROOT / relative)}, relative


def test_the_walk_sees_lazy_imports_and_model_strings(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "def view():\n"
        "    from gallery.models import Photo\n"
        "client = models.ForeignKey('clients.Client', on_delete=None)\n"
        "Visit = apps.get_model('visits', 'Visit')\n"
        "dependencies = [('agenda', '0001_initial')]\n"
    )
    assert {app for _, app in named_apps(module)} == {"gallery", "clients", "visits", "agenda"}


def test_every_app_has_a_level():
    apps_on_disk = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps_on_disk == set(LEVELS)
