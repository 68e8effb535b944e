"""Resume work whose worker died and purge what outlived its purpose, once, now.

`make run` runs it before starting the worker; without a worker always running (or as a
safety net) run it from cron, e.g. every 10 minutes. It also queues the worker's own
maintenance round, which then comes back every MAINTENANCE_EVERY seconds by itself.
"""

from django.core.management.base import BaseCommand

from nailpro.maintenance import maintenance_ensure, maintenance_run


class Command(BaseCommand):
    help = (
        "Resume imports and exports whose worker died; delete expired exports, stale "
        "imports and their files; queue the worker's periodic maintenance."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not queue the worker's periodic maintenance round.",
        )

    def handle(self, *args, no_schedule=False, **options):
        maintenance_run()
        if not no_schedule:
            maintenance_ensure()
        self.stdout.write("Maintenance done.")
