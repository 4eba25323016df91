"""Pages of village democracy."""
