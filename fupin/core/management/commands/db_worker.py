"""`fupin db_worker`: django-tasks-db's worker with a heartbeat and retries on a locked SQLite
database (see fupin.core.worker). It takes the stock command's name (fupin.core comes before
django_tasks_db in INSTALLED_APPS), so every way of starting the worker, `fupin serve` and a
systemd unit alike, gets both."""

from __future__ import annotations

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from fupin.core import worker


class Command(db_worker.Command):
    help = "Run the background worker (imports, refreshes); `fupin serve` starts one for you."

    def handle(self, *args, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options):
        if reload:
            # Development only (code reloading): the stock worker, without our additions.
            return super().handle(*args, verbosity=verbosity, queue_name=queue_name,
                                  interval=interval, batch=batch, backend_name=backend_name,
                                  startup_delay=startup_delay, reload=reload,
                                  max_tasks=max_tasks, worker_id=worker_id,
                                  exclude_queues=exclude_queues, **options)
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        runner = worker.RetryingWorker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
            excluded_queue_names=excluded)
        runner.configure_signals()
        with worker.Heartbeat(worker_id):
            runner.run()
