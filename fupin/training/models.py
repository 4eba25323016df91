"""Models of training (see the package docstring)."""
