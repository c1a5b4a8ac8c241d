"""Bistånd: case handling for Swedish municipal income support (försörjningsstöd)."""

__version__ = "0.1.0"
