from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Fupin (threaded development server; use gunicorn fupin.wsgi in production)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, bind, **options):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("runserver", bind, use_reloader=False, use_threading=True)
