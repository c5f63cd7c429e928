"""The source registry as the web pages see it: an optional lookup that never breaks a page.

The registry lives in :mod:`claimgraph.resolve`. The server only needs "the entry for this id" and
"entries matching these words", so this adapter probes for those and degrades to nothing (the source
pages then show what the claims themselves say about a source) when the registry is absent or fails.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from ..models import to_dict
from ..settings import Settings

log = logging.getLogger(__name__)


class RegistryView:
    def __init__(self, registry: Any = None) -> None:
        self.registry = registry

    @classmethod
    def load(cls, settings: Settings) -> RegistryView:
        try:
            from ..resolve import Registry  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - absent or broken: the pages work without it
            return cls(None)
        for make in ("from_settings", "load"):
            factory = getattr(Registry, make, None)
            if factory is None:
                continue
            try:
                return cls(factory(settings) if make == "from_settings" else factory(settings.registry))
            except Exception as exc:  # noqa: BLE001
                log.warning("source registry unavailable (%s); source pages show claims only", exc)
                return cls(None)
        try:
            return cls(Registry())
        except Exception:  # noqa: BLE001
            return cls(None)

    def entry(self, entity_id: str) -> dict[str, Any] | None:
        reg = self.registry
        if reg is None:
            return None
        for name in ("get", "entry", "lookup_id", "by_id"):
            fn = getattr(reg, name, None)
            if fn is None:
                continue
            try:
                found = fn(entity_id)
            except Exception:  # noqa: BLE001 - a KeyError or a bug: treat as unknown
                found = None
            if found is not None:
                return _plain(found)
        return None

    def search(self, words: str, limit: int = 20) -> list[dict[str, Any]]:
        reg = self.registry
        fn = getattr(reg, "search", None)
        if fn is None or not words:
            return []
        try:
            return [_plain(e) for e in list(fn(words))[:limit]]
        except Exception:  # noqa: BLE001
            return []


def _plain(entry: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(entry) and not isinstance(entry, type):
        return dict(to_dict(entry))
    if isinstance(entry, dict):
        return dict(entry)
    return {"value": str(entry)}
