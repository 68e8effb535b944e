"""Control characters are stripped at every form: a shared step, used by every text form."""

import contextlib
import importlib

import pytest
from django import forms
from django.apps import apps

from nailpro.forms import CleanTextMixin
from nailpro.text import clean_text

PROJECT_APPS = [
    "nailpro",
    "catalog",
    "billing",
    "clients",
    "visits",
    "agenda",
    "gallery",
    "business",
]


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def project_forms():
    for label in PROJECT_APPS:
        for module in ("forms", "portfolio", "views"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{apps.get_app_config(label).name}.{module}")
    return {
        form
        for form in all_subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in PROJECT_APPS
    }


def takes_text(form):
    return any(
        isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
        for field in form.base_fields.values()
    )


def test_every_form_taking_text_cleans_it():
    text_forms = [form for form in project_forms() if takes_text(form)]
    assert len(text_forms) > 20
    missing = [
        f"{f.__module__}.{f.__name__}" for f in text_forms if not issubclass(f, CleanTextMixin)
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Zoé\x0bMartin", "Zoé Martin"),  # Word's line break stays a space
        ("\x1b[31mRed\x1b[0m", "[31mRed[0m"),
        ("nul\x00l", "null"),
        ("tab\tline\nreturn\r\n", "tab\tline\nreturn\r\n"),
        ("ok\x7f\x85\ufffe", "ok"),
        ("日本語 émoji 💅", "日本語 émoji 💅"),
    ],
)
def test_clean_text_keeps_tabs_and_line_breaks_only(raw, clean):
    assert clean_text(raw) == clean


def test_passwords_are_left_as_typed():
    from nailpro.forms import SignupForm

    form = SignupForm(
        data={
            "business_name": "Léa\x1b Ongles",
            "email": "lea@example.com",
            "password1": "pass\x1bword-42",
            "password2": "pass\x1bword-42",
        }
    )
    assert form.data["business_name"] == "Léa Ongles"
    assert form.data["password1"] == "pass\x1bword-42"
