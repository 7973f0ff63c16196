"""The SQLite store."""

from .sqlite import Store

__all__ = ["Store"]
