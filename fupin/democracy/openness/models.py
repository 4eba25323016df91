"""Models of this sub-area; the app's models.py imports them (Django finds models there)."""
