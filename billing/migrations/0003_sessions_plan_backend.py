"""Sessions opened through Django's model backend now name billing.auth.PlanBackend, which
replaced it: she stays logged in (Django only trusts a session whose backend is listed)."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "billing.auth.PlanBackend"
BACKEND_KEY = "_auth_user_backend"


def rename_backend(apps, schema_editor, old=OLD, new=NEW):
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_KEY) == old:
            data[BACKEND_KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def restore_backend(apps, schema_editor):
    rename_backend(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_subscriptions_of_existing_accounts"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_backend, restore_backend)]
