"""The web UI and JSON API: ``create_app(settings)`` (FastAPI). Run it with ``claimgraph serve``."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
