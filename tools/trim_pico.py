"""Write static/vendor/pico-2.1.1.pink.trimmed.css: Pico without what no NailPro page uses.

Run `make pico` (or `python tools/trim_pico.py`) after changing DROPPED below or upgrading
Pico; tests/nailpro/test_stylesheets.py fails while the committed file is stale.

What stays: every rule on HTML elements, forms, buttons, roles and ARIA states, and both themes
as they follow prefers-color-scheme, so a new page of plain semantic HTML looks right without a
rebuild. What goes: the parts of Pico no page of ours uses (sliders, tooltips, the modal's
script classes, the "contrast" and "striped" classes, the valid-field state, the copies of the
themes for a [data-theme] attribute, shadow-DOM hosts) and then every custom property that
nothing reads any more.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static/vendor/pico-2.1.1.pink.min.css"
TARGET = ROOT / "static/vendor/pico-2.1.1.pink.trimmed.css"
# Where our own markup and styles may read a Pico variable.
READERS = [
    *sorted((ROOT / "static/css").glob("*.css")),
    *sorted((ROOT / "templates").rglob("*.html")),
    *sorted((ROOT / "static/js").glob("*.js")),
]

DROPPED = re.compile(
    "|".join(
        [
            r"\[data-theme",  # theme copies for an attribute we never set
            r":host\b",  # shadow-DOM hosts: we have none
            r"\[type=range\]|::-webkit-slider|::-moz-range|::-ms-",  # sliders
            r"\[data-tooltip\]|\[data-placement",  # tooltips
            r"\.modal-is-",  # set by Pico's modal script, which we do not ship
            r"\.contrast\b|\.striped\b",
            r"\[aria-invalid=false\]",  # a "valid" state no form of ours marks
        ]
    )
)
VARIABLE = re.compile(r"(--[\w-]+)\s*:")
APP_CSS = "static/css/app.css"
# Pico's selectors for its variables on the root, none heavier than app.css's.
ROOT_SELECTORS = {
    ":root",
    ":root:not([data-theme=dark])",
    ":root:not([data-theme])",
    ":where(:root)",
}


def blocks(css):
    """Split CSS into (prelude, body) pairs at the top level; strings and parentheses aware."""
    items, depth, start, quote, i = [], 0, 0, None, 0
    body_start = None
    while i < len(css):
        char = css[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "{":
            if depth == 0:
                body_start = i
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                items.append((css[start:body_start].strip(), css[body_start + 1 : i]))
                start = i + 1
        elif char == ";" and depth == 0:  # @charset, @import
            items.append((css[start:i].strip(), None))
            start = i + 1
        i += 1
    return items


def split_top(text, separator):
    """Split on `separator` outside parentheses, brackets and strings."""
    parts, depth, quote, current = [], 0, None, []
    for char in text:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def without_not(selector):
    """The selector without its :not(...) parts: excluding a feature is not using it."""
    out, depth, i = [], 0, 0
    while i < len(selector):
        if depth == 0 and selector.startswith(":not(", i):
            depth, i = 1, i + 5
            continue
        if depth:
            depth += {"(": 1, ")": -1}.get(selector[i], 0)
        else:
            out.append(selector[i])
        i += 1
    return "".join(out)


def trim_rules(css):
    out = []
    for prelude, body in blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
            inner = trim_rules(body)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):  # @keyframes, @font-face: kept whole
            out.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s for s in split_top(prelude, ",") if not DROPPED.search(without_not(s))]
            if selectors:
                out.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(out)


def drop_unread_variables(css, readers):
    """Remove custom property declarations nothing reads, until none is left to remove."""
    while True:
        read = set(re.findall(r"var\(\s*(--[\w-]+)", css + readers))
        removed = False

        def keep(declaration, prelude, read=read):
            nonlocal removed
            match = VARIABLE.match(declaration.strip())
            if match and match.group(1) not in read:
                removed = True
                return False
            return True

        css = rewrite_declarations(css, keep)
        if not removed:
            return css


def rewrite_declarations(css, keep):
    out = []
    for prelude, body in blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
            inner = rewrite_declarations(body, keep)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            declarations = [d for d in split_top(body, ";") if d.strip() and keep(d, prelude)]
            if declarations:
                out.append(f"{prelude}{{{';'.join(declarations)}}}")
    return "".join(out)


def overridden_variables():
    """The variables app.css sets on `:root:not([data-theme])` for every colour scheme.

    That selector weighs as much as any of Pico's on the root and comes later, so Pico's own
    values of those variables never apply.
    """
    app = re.sub(r"/\*.*?\*/", "", (ROOT / APP_CSS).read_text(encoding="utf-8"), flags=re.S)
    names = set()
    for prelude, body in blocks(app):
        if body is not None and prelude == ":root:not([data-theme])":
            names.update(VARIABLE.findall(body))
    return names


def trimmed():
    css = re.sub(r"/\*.*?\*/", "", SOURCE.read_text(encoding="utf-8"), flags=re.S)
    readers = "".join(path.read_text(encoding="utf-8") for path in READERS)
    overridden = overridden_variables()
    css = rewrite_declarations(
        trim_rules(css),
        lambda declaration, prelude: (
            prelude not in ROOT_SELECTORS
            or (VARIABLE.match(declaration.strip()) or [None, None])[1] not in overridden
        ),
    )
    header = (
        "/* Pico CSS v2.1.1 (pink), MIT licence, https://picocss.com: trimmed by "
        "tools/trim_pico.py */\n"
    )
    return header + drop_unread_variables(css, readers) + "\n"


if __name__ == "__main__":
    TARGET.write_text(trimmed(), encoding="utf-8")
    sys.stdout.write(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size} bytes\n")
