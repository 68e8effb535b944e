"""The app's icons: one definition, drawn into one static SVG sprite the pages point to.

The sprite is static/img/icons.svg, written by `python manage.py build_icon_sprite`; a test fails
when it no longer matches these definitions.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static

SPRITE_PATH = "img/icons.svg"

# Stroke icons drawn on a 24x24 grid; always shown next to a text label.
ICONS = {
    "home": '<path d="M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z"/>',
    "clients": '<circle cx="9" cy="8" r="4"/><path d="M2 21v-1a7 7 0 0 1 14 0v1"/>'
    '<path d="M16 3.5a4 4 0 0 1 0 9M22 21v-1a7 7 0 0 0-4-6.3"/>',
    "agenda": '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>',
    "visits": '<rect x="5" y="4" width="14" height="17" rx="2"/>'
    '<path d="M9 4V3h6v1M9 11h6M9 15h4"/>',
    "gallery": '<rect x="3" y="3" width="18" height="18" rx="2"/><circle cx="9" cy="9" r="2"/>'
    '<path d="m21 15-5-5L5 21"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/>',
    "catalog": '<path d="M21 8 12 3 3 8v8l9 5 9-5z"/><path d="m3 8 9 5 9-5M12 13v8"/>',
    "billing": '<rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 10h20"/>',
    "account": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "logout": '<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9"/>',
    "globe": '<circle cx="12" cy="12" r="9"/>'
    '<path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "phone": '<path d="M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5'
    'a2 2 0 0 1 2-2z"/>',
    "sms": '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1.1-4.6A8 8 0 1 1 21 12z"/>',
    "whatsapp": '<path d="M3.5 20.5 5 16a8.5 8.5 0 1 1 3.2 3.1z"/>'
    '<path d="M9 9.5c.5 2.5 2.5 4.6 5 5l1.2-1.2 1.8.8-.5 1.6c-3.7.3-7.8-3.6-7.6-7.5L10.5 8'
    'l.8 1.8z"/>',
    "mail": '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="m3 7 9 6 9-6"/>',
    "map": '<path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z"/>'
    '<circle cx="12" cy="9.5" r="2.5"/>',
    "camera": '<path d="M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9'
    'a1 1 0 0 1 1-1z"/><circle cx="12" cy="13.5" r="3.5"/>',
    "edit": '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13.5 6.5 4 4"/>',
    "trash": '<path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"/>',
    "gift": '<rect x="3" y="8" width="18" height="4" rx="1"/><path d="M5 12v9h14v-9M12 8v13'
    'M12 8S10.5 3 8 4s0 4 4 4zm0 0s1.5-5 4-4 0 4-4 4z"/>',
    "alert": '<path d="M12 3 2 20h20z"/><path d="M12 10v4M12 17v.5"/>',
}

# Set on each symbol: a <use> instance inherits them, and its stroke follows the text colour.
SYMBOL_ATTRIBUTES = (
    'viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" '
    'stroke-linecap="round" stroke-linejoin="round"'
)


def sprite_svg():
    """Return the sprite's markup: one <symbol> per icon, its id the icon's name."""
    symbols = "".join(
        f'<symbol id="{name}" {SYMBOL_ATTRIBUTES}>{shapes}</symbol>\n'
        for name, shapes in sorted(ICONS.items())
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg">\n{symbols}</svg>\n'


def sprite_file():
    """Return where the committed sprite lives in the source tree."""
    return Path(settings.BASE_DIR) / "static" / SPRITE_PATH


@functools.cache
def sprite_url():
    """Return the sprite's URL (its hashed name in production), looked up once per process."""
    return static(SPRITE_PATH)


@receiver(setting_changed)
def forget_sprite_url(*, setting, **kwargs):
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT"}:
        sprite_url.cache_clear()
