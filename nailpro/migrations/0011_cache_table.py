"""The database cache's table: every app server shares the cache through the database."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # A no-op when CACHE_URL names another backend or the table already exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("nailpro", "0010_throttle")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
