"""Fava extension: the Leak model page."""
