from django.db import migrations


def create_subscriptions(apps, schema_editor):
    """Give every existing account its subscription, on the plan it had."""
    Account = apps.get_model("nailpro", "Account")
    Subscription = apps.get_model("billing", "Subscription")
    for account in Account.objects.exclude(
        pk__in=Subscription.objects.values("account_id")
    ).iterator():
        Subscription.objects.create(account=account, plan=getattr(account, "plan", "free"))


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("nailpro", "0001_initial")]

    operations = [migrations.RunPython(create_subscriptions, migrations.RunPython.noop)]
