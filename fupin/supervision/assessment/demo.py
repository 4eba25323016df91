"""The assessment sub-area's demo generators."""
