"""crosswire: cross-check the news."""
__version__ = "0.1.0"
