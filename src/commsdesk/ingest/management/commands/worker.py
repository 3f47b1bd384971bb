"""`commsdesk worker`: runs queued tasks with the configured backend's worker.

The database queue (default) runs django-tasks-db's `db_worker`; with COMMSDESK_TASK_BACKEND=rq
it runs django-rq's `rqworker` on the same tasks. It chooses and starts a worker, nothing more.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

RQ_BACKEND = "django_tasks_rq.RQBackend"


class Command(BaseCommand):
    help = "Run background tasks from the task queue until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="database queue: seconds between polls"
        )
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args, interval: float, batch: bool, **options):
        if settings.TASKS["default"]["BACKEND"] == RQ_BACKEND:
            self._rq(batch=batch, verbosity=options["verbosity"])
            return
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            reload=False,  # the worker is a service; code reloads are `runserver`'s job
            verbosity=options["verbosity"],
        )

    def _rq(self, *, batch: bool, verbosity: int) -> None:
        call_command(
            "rqworker",
            *settings.TASKS["default"]["QUEUES"],
            # No fork per job: the compiled saved searches and the language models stay loaded
            # between jobs, and a killed worker takes its job with it (no orphaned work-horse).
            worker_class="rq.worker.SimpleWorker",
            job_class="django_tasks_rq.backend.Job",
            # Runs tasks enqueued with run_after when they fall due.
            with_scheduler=True,
            burst=batch,
            verbosity=verbosity,
        )
