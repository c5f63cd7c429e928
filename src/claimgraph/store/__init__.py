"""Storage backends. ``open_store(settings)`` picks one from the ``db`` setting."""

from __future__ import annotations

from ..settings import Settings
from .base import ArticleFilter, ClaimFilter, Store

__all__ = ["ArticleFilter", "ClaimFilter", "Store", "open_store"]


def open_store(settings: Settings) -> Store:
    """SQLite for a path, PostgreSQL for a ``postgresql://`` URL."""
    if settings.db.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(settings.db)
    from .sqlite import SQLiteStore

    return SQLiteStore(settings.db)
