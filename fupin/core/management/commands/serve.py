import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Serve Fupin with its background worker (threaded development server; in production "
            "run gunicorn fupin.wsgi and `fupin db_worker` as two services).")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start the background worker (imports, refreshes).")

    def handle(self, *args, bind, no_worker=False, **options):
        call_command("migrate", verbosity=0, interactive=False)
        # Web imports and analytics refreshes run as background tasks; without a worker they
        # would wait forever.
        worker = None if no_worker else subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "fupin", "db_worker", "--no-reload", "--interval", "1"])
        try:
            call_command("runserver", bind, use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
