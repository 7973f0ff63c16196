"""The SQLite store."""

from crosswire.store.sqlite import Store

__all__ = ["Store"]
