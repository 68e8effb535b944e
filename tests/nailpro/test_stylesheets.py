"""The trimmed Pico the pages load is what tools/trim_pico.py makes of the vendored Pico."""

import importlib.util
from pathlib import Path

from django.conf import settings


def load_trimmer():
    path = Path(settings.BASE_DIR) / "tools" / "trim_pico.py"
    spec = importlib.util.spec_from_file_location("trim_pico", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_trimmed_pico_is_up_to_date():
    trimmer = load_trimmer()
    assert trimmer.TARGET.read_text(encoding="utf-8") == trimmer.trimmed(), (
        "static/vendor/pico-2.1.1.pink.trimmed.css is stale: run `make pico` and commit it"
    )


def test_what_is_dropped_is_only_what_no_page_uses():
    trimmer = load_trimmer()
    css = trimmer.TARGET.read_text(encoding="utf-8")
    for dropped in ("[data-tooltip]", ".contrast", "::-webkit-slider", "[data-theme=light]"):
        assert dropped not in css
    # Plain semantic HTML keeps Pico's look: elements, buttons, roles, both colour schemes.
    for selector in ("dialog", "table", "fieldset", "[role=button]", "details.dropdown"):
        assert selector in css
    assert "prefers-color-scheme:dark" in css
    # Excluding a feature is not using it: Pico's field rules name sliders in a :not().
    assert ":not([type=checkbox],[type=radio],[type=range],[type=file])" in css
