"""What the openness sub-area registers when Django starts (panels, gaps, parameters); called
from democracy/apps.py."""


def ready() -> None:
    pass
