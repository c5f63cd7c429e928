"""One settings object, built once and handed to every stage.

Values come, lowest priority first, from the defaults below, a TOML file (``CLAIMGRAPH_CONFIG`` or
``claimgraph.toml`` in the working directory), environment variables ``CLAIMGRAPH_<NAME>`` and finally
explicit overrides (the CLI's options). Every field is documented here, and a test checks that the
README lists each one.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SettingsError


@dataclass(frozen=True)
class Settings:
    db: str = "claimgraph.db"
    """SQLite file path, or a ``postgresql://`` URL for the PostgreSQL backend."""
    max_document_bytes: int = 20 * 1024 * 1024
    """Inputs larger than this are refused with an error line (oversized documents)."""
    batch_size: int = 50
    """Articles written per transaction: a killed run loses at most one batch."""
    reprint_threshold: float = 0.8
    """MinHash Jaccard similarity above which an article under another outlet is a reprint."""
    attribute: bool = True
    """Run attribution (and the later stages) right after ingestion."""
    model: str = "default"
    """Attribution model: ``default`` (shipped sparse tagger) or ``accurate`` (torch extra)."""
    languages: tuple[str, ...] = ("en",)
    """Languages the attribution stage analyses; articles in others are stored and skipped."""
    registry: str | None = None
    """A user registry file (TOML) layered over the shipped one."""
    fuzzy_threshold: float = 90.0
    """rapidfuzz score (0-100) from which a source name matches a registry alias."""
    token: str | None = None
    """Token that enables ``POST /api/articles``; writes are off without one."""
    max_upload_bytes: int = 5 * 1024 * 1024
    """Largest request body the web server accepts."""
    host: str = "127.0.0.1"
    port: int = 8080
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    """Unknown keys from the config file, kept so that a typo can be reported rather than lost."""

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(name: str, raw: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, tuple):
            return tuple(raw) if isinstance(raw, (list, tuple)) else tuple(
                s.strip() for s in str(raw).split(",") if s.strip()
            )
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name!r}: cannot read {raw!r} ({exc}); fix the value") from exc
    return raw


def load_settings(config: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Build the settings from defaults, config file, environment and ``overrides`` (None = unset)."""
    defaults = Settings()
    values: dict[str, Any] = {}
    names = {f.name for f in dataclasses.fields(Settings)} - {"extra"}
    path = config or os.environ.get("CLAIMGRAPH_CONFIG")
    if path is None and Path("claimgraph.toml").is_file():
        path = "claimgraph.toml"
    extra: dict[str, Any] = {}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"config file {path}: {exc}; fix or remove it") from exc
        for key, raw in data.items():
            if key in names:
                values[key] = _coerce(key, raw, getattr(defaults, key))
            else:
                extra[key] = raw
    for key in names:
        env = os.environ.get(f"CLAIMGRAPH_{key.upper()}")
        if env is not None:
            values[key] = _coerce(key, env, getattr(defaults, key))
    for key, raw in overrides.items():
        if raw is not None:
            if key not in names:
                raise SettingsError(f"unknown setting {key!r}")
            values[key] = raw
    settings = dataclasses.replace(defaults, extra=extra, **values)
    _check_ranges(settings)
    return settings


# Bounds of the numeric settings: a value outside them would not fail loudly but quietly refuse
# every document (a size limit of 0) or match everything (a threshold of 0), so it is refused here.
_RANGES: dict[str, tuple[float, float]] = {
    "max_document_bytes": (1, float("inf")),
    "batch_size": (1, 100_000),
    "reprint_threshold": (0.01, 1.0),
    "fuzzy_threshold": (1.0, 100.0),
    "max_upload_bytes": (1, float("inf")),
    "port": (0, 65535),
}


def _check_ranges(settings: Settings) -> None:
    for name, (low, high) in _RANGES.items():
        value = getattr(settings, name)
        if not low <= value <= high:
            bounds = f"at least {low:g}" if high == float("inf") else f"between {low:g} and {high:g}"
            raise SettingsError(f"setting {name!r} is {value!r}; give a value {bounds}")


def unknown_keys_note(settings: Settings) -> str | None:
    """A line naming config-file keys that are no setting (a typo is otherwise silently ignored)."""
    if not settings.extra:
        return None
    import difflib

    names = [f.name for f in dataclasses.fields(Settings) if f.name != "extra"]
    parts = []
    for key in sorted(settings.extra):
        close = difflib.get_close_matches(key, names, n=1)
        parts.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"the config file has unknown settings, ignored: {', '.join(parts)}"
