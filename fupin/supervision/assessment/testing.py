"""The assessment sub-area's sample makers."""
