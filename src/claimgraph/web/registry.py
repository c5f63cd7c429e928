"""The source registry as the web pages see it: an optional lookup that never breaks a page.

The registry lives in :mod:`claimgraph.resolve`. The server only needs "the entry for this id" and
"entries matching these words", so this adapter probes for those and degrades to nothing (the source
pages then show what the claims themselves say about a source) when the registry is absent or fails.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from ..models import to_dict
from ..settings import Settings

log = logging.getLogger(__name__)


class RegistryView:
    """Wraps a registry object, or loads the configured one on first use (about 0.3 s), so that
    starting the app, and every test that builds one, stays fast."""

    def __init__(self, registry: Any = None, settings: Settings | None = None) -> None:
        self._registry = registry
        self._settings = settings
        self._lock = threading.Lock()

    @classmethod
    def load(cls, settings: Settings) -> RegistryView:
        return cls(None, settings)

    @property
    def registry(self) -> Any:
        if self._settings is not None:
            with self._lock:
                if self._settings is not None:
                    self._registry = _load(self._settings)
                    self._settings = None
        return self._registry

    def entry(self, entity_id: str) -> dict[str, Any] | None:
        """The entry with this id, or the one owning this domain (outlet pages are keyed by domain)."""
        reg = self.registry
        if reg is None:
            return None
        for name in ("get", "match_domain"):
            fn = getattr(reg, name, None)
            try:
                found = fn(entity_id) if fn is not None else None
            except Exception:  # noqa: BLE001 - a lookup bug: treat the source as unknown
                found = None
            if found is not None:
                return _plain(found)
        return None

    def search(self, words: str, limit: int = 20) -> list[dict[str, Any]]:
        fn = getattr(self.registry, "search", None)
        if fn is None or not words:
            return []
        try:
            return [_plain(e) for e in list(fn(words, limit=limit))[:limit]]
        except Exception:  # noqa: BLE001
            return []


def _load(settings: Settings) -> Any:
    try:
        from ..resolve import Registry
    except Exception:  # noqa: BLE001 - absent or broken: the pages work without it
        return None
    try:
        return Registry.load(settings.registry, fuzzy_threshold=settings.fuzzy_threshold)
    except Exception as exc:  # noqa: BLE001 - a bad user registry must not take the UI down
        log.warning("source registry unavailable (%s); source pages show claims only", exc)
        return None


def _plain(entry: Any) -> dict[str, Any]:
    if hasattr(entry, "to_dict"):
        return dict(entry.to_dict())
    if dataclasses.is_dataclass(entry) and not isinstance(entry, type):
        return dict(to_dict(entry))
    if isinstance(entry, dict):
        return dict(entry)
    return {"value": str(entry)}
