"""The `fupin` command: every Django management command, Fupin's own included.

`fupin regions import F.csv` is the same as `manage.py regions import F.csv`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "fupin"
    execute_from_command_line(argv)
