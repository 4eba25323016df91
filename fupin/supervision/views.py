"""Pages of supervision."""
