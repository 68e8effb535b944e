# AccountExport moved to the `business` app: it leaves the core's state only; its table
# (nailpro_accountexport) and rows stay where they are, and business.0001 takes them over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("nailpro", "0006_account_rebook_after_weeks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccountExport")],
            database_operations=[],
        ),
    ]
