"""`commsdesk worker`: runs queued tasks (django-tasks-db's db_worker with our defaults)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks from the database queue until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args, interval: float, batch: bool, **options):
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            reload=False,  # the worker is a service; code reloads are `runserver`'s job
            verbosity=options["verbosity"],
        )
