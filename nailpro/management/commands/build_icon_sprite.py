"""Write static/img/icons.svg from the icon definitions in nailpro.icons."""

from django.core.management.base import BaseCommand

from nailpro.icons import sprite_file, sprite_svg


class Command(BaseCommand):
    help = "Write the icon sprite (static/img/icons.svg) from nailpro/icons.py."

    def handle(self, *args, **options):
        path = sprite_file()
        path.write_text(sprite_svg(), encoding="utf-8")
        self.stdout.write(f"{path}: {path.stat().st_size} bytes")
