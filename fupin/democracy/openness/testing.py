"""The openness sub-area's sample makers."""
