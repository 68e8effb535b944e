# The export task moved with the export (nailpro.tasks → business.tasks): exports still waiting
# in the queue of a database made before the move run under the new path (finished ones are
# renamed too, so the admin lists one task).

from django.db import migrations

OLD, NEW = "nailpro.tasks.account_export_build", "business.tasks.account_export_build"


def rename(old, new):
    def run(apps, schema_editor):
        results = apps.get_model("django_tasks_database", "DBTaskResult")
        db = schema_editor.connection.alias
        results.objects.using(db).filter(task_path=old).update(task_path=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("business", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rename(OLD, NEW), rename(NEW, OLD), elidable=True)]
