"""Varde: plan, publish, listen, measure."""

__version__ = "0.1.0"
