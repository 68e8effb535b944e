"""Icons come from one static sprite, written from the definitions in nailpro.icons."""

import pytest
from django.template import Context, Template

from nailpro.icons import ICONS, sprite_file, sprite_svg


def test_the_committed_sprite_matches_the_icon_definitions():
    assert sprite_file().read_text(encoding="utf-8") == sprite_svg(), (
        "static/img/icons.svg is stale: run `python manage.py build_icon_sprite` and commit it"
    )


def test_the_sprite_holds_one_symbol_per_icon():
    sprite = sprite_svg()
    for name in ICONS:
        assert f'<symbol id="{name}" ' in sprite
    assert sprite.count("<symbol ") == len(ICONS)


def test_the_icon_tag_points_into_the_sprite():
    html = Template('{% load nailpro %}{% icon "phone" 20 %}').render(Context())
    assert html == (
        '<svg class="icon" width="20" height="20" aria-hidden="true" focusable="false">'
        '<use href="/static/img/icons.svg#phone"/></svg>'
    )


def test_an_unknown_icon_fails_loudly():
    with pytest.raises(KeyError):
        Template('{% load nailpro %}{% icon "nope" %}').render(Context())
