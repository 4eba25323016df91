"""Fupin (扶贫): the system of record for rural party building that drives poverty alleviation."""

__version__ = "0.1.0"
