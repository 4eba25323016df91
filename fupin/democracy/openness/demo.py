"""The openness sub-area's demo generators."""
