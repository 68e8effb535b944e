from django.db import migrations

DEFAULTS = {"fr": ["VIP", "Régulière", "Occasionnelle"], "en": ["VIP", "Regular", "Occasional"]}


def create_default_categories(apps, schema_editor):
    """Give the accounts that existed before categories their default list."""
    Account = apps.get_model("nailpro", "Account")
    Category = apps.get_model("clients", "Category")
    for account in Account.objects.exclude(
        pk__in=Category.objects.values("account_id")
    ).iterator():
        names = DEFAULTS.get(account.language, DEFAULTS["fr"])
        Category.objects.bulk_create(
            Category(account=account, name=name, position=index)
            for index, name in enumerate(names)
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial"), ("nailpro", "0001_initial")]

    operations = [migrations.RunPython(create_default_categories, migrations.RunPython.noop)]
