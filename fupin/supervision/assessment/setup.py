"""What the assessment sub-area registers when Django starts (panels, gaps, parameters); called
from supervision/apps.py."""


def ready() -> None:
    pass
