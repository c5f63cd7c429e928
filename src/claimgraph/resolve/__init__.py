"""The resolve stage: sources to a registry of outlets and owners, places to a gazetteer, dates to
the calendar. The orchestrator needs only :class:`Resolver`."""

from __future__ import annotations

from .places import Gazetteer
from .registry import Registry
from .resolver import Resolver
from .schema import Entry

__all__ = ["Entry", "Gazetteer", "Registry", "Resolver"]
