"""The registry's schema: what an entry holds, how a file is read, checked and written.

A registry file is TOML with one ``[[source]]`` table per entry::

    [[source]]
    id = "sana"                          # unique, lower-case letters, digits, "-" and "_"
    name = "Syrian Arab News Agency"     # canonical name
    kind = "news agency"                 # one of KINDS
    country = "SY"                       # ISO 3166-1 alpha-2, "" for international bodies
    ownership = "state-controlled"       # one of OWNERSHIPS
    group = "Syrian state"               # controlling owner: sources of one group count once
    aliases = ["SANA", "Syrian Arab News Agency"]
    domains = ["sana.sy"]
    source = "State Media Matrix (ASD at GMF, MIT)"   # where the facts come from

In a user file only ``id`` is required when it names a shipped entry (the fields given replace the
shipped ones, aliases and domains are added); a new entry needs ``id``, ``name`` and ``kind``.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from ..errors import RegistryError

KINDS = (
    "news agency", "outlet", "broadcaster", "government body", "military", "armed group",
    "monitor/NGO", "international organization", "political organization", "company", "person",
)
OWNERSHIPS = ("state-controlled", "state-funded", "public service", "private", "unknown")
DEFAULT_SOURCE = "claimgraph editors (general knowledge)"
FIELDS = ("id", "name", "kind", "country", "ownership", "group", "aliases", "domains", "source")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_COUNTRY = re.compile(r"^([A-Z]{2})?$")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


@dataclass(frozen=True)
class Entry:
    """One source the registry knows."""

    id: str
    name: str
    kind: str
    country: str = ""
    ownership: str = "unknown"
    group: str = ""
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    source: str = DEFAULT_SOURCE

    def to_dict(self) -> dict[str, Any]:
        return {f: (list(v) if isinstance(v := getattr(self, f), tuple) else v) for f in FIELDS}


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def _entry_lines(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each ``[[source]]`` table, its header line and the line of each key in it; tomllib
    gives no positions, and a user fixing a file needs them."""
    tables: list[tuple[int, dict[str, int]]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[[") and stripped.rstrip("]").strip("[ ").strip() == "source":
            tables.append((n, {}))
        elif tables and (m := re.match(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=", line)):
            tables[-1][1].setdefault(m.group(1), n)
    return tables


def check_entry(raw: dict[str, Any], partial: bool = False) -> list[tuple[str, str]]:
    """Problems with one raw entry as (field, message); ``partial`` for user overrides of a shipped id."""
    problems: list[tuple[str, str]] = []
    for key in raw:
        if key not in FIELDS:
            problems.append((key, f"unknown field {key!r}; known fields: {', '.join(FIELDS)}"))
    required = ("id",) if partial else ("id", "name", "kind")
    for key in required:
        if not raw.get(key):
            problems.append((key, f"missing {key!r}"))
    for key in ("id", "name", "kind", "country", "ownership", "group", "source"):
        if key in raw and not isinstance(raw[key], str):
            problems.append((key, f"{key!r} must be a string, not {type(raw[key]).__name__}"))
    for key in ("aliases", "domains"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append((key, f"{key!r} must be a list of non-empty strings"))
    if isinstance(raw.get("id"), str) and raw["id"] and not _ID.match(raw["id"]):
        problems.append(("id", f"id {raw['id']!r}: use lower-case letters, digits, '-' and '_'"))
    if isinstance(raw.get("kind"), str) and raw["kind"] and raw["kind"] not in KINDS:
        problems.append(("kind", f"kind {raw['kind']!r} is not one of: {', '.join(KINDS)}"))
    if isinstance(raw.get("ownership"), str) and raw["ownership"] not in OWNERSHIPS:
        problems.append(("ownership", f"ownership {raw['ownership']!r} is not one of: {', '.join(OWNERSHIPS)}"))
    if isinstance(raw.get("country"), str) and not _COUNTRY.match(raw["country"]):
        problems.append(("country", f"country {raw['country']!r}: use an ISO 3166-1 alpha-2 code such as 'SY'"))
    for d in raw.get("domains", []) if isinstance(raw.get("domains"), list) else []:
        if isinstance(d, str) and not _DOMAIN.match(d):
            problems.append(("domains", f"domain {d!r}: write the bare domain, e.g. 'sana.sy'"))
    return problems


def parse_registry(text: str, where: str, shipped_ids: frozenset[str] = frozenset()) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Read a registry file's text into raw entry dicts plus every problem with its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return [], [Problem(int(m.group(1)) if m else 1, f"not valid TOML: {exc}")]
    problems: list[Problem] = []
    for key in data:
        if key != "source":
            problems.append(Problem(1, f"unknown top-level key {key!r}; write entries as [[source]] tables"))
    raws = data.get("source", [])
    if not isinstance(raws, list):
        return [], [Problem(1, "'source' must be an array of tables: write [[source]]")]
    lines = _entry_lines(text)
    seen: dict[str, int] = {}
    for i, raw in enumerate(raws):
        header, keys = lines[i] if i < len(lines) else (1, {})
        partial = raw.get("id") in shipped_ids
        for key, message in check_entry(raw, partial=partial):
            problems.append(Problem(keys.get(key, header), message))
        rid = raw.get("id")
        if isinstance(rid, str):
            if rid in seen:
                problems.append(Problem(keys.get("id", header), f"id {rid!r} repeats the entry of line {seen[rid]}"))
            seen.setdefault(rid, header)
    return raws, problems


def load_entries(text: str, where: str) -> list[Entry]:
    """Entries of a complete registry file; RegistryError listing every problem otherwise."""
    raws, problems = parse_registry(text, where)
    if problems:
        listed = "\n".join(f"  {where}:{p.line}: {p.message}" for p in problems[:20])
        raise RegistryError(f"{where} does not follow the registry schema:\n{listed}\n"
                            f"Run `claimgraph sources --check {where}` after fixing it.")
    return [entry_from_raw(r) for r in raws]


def entry_from_raw(raw: dict[str, Any], base: Entry | None = None) -> Entry:
    """An Entry from a raw dict, layered over ``base`` when a user file overrides a shipped entry."""
    if base is None:
        return Entry(
            id=raw["id"], name=raw["name"], kind=raw["kind"], country=raw.get("country", ""),
            ownership=raw.get("ownership", "unknown"), group=raw.get("group") or raw["name"],
            aliases=tuple(raw.get("aliases", ())), domains=tuple(raw.get("domains", ())),
            source=raw.get("source", DEFAULT_SOURCE),
        )
    fields = base.to_dict()
    for key, value in raw.items():
        if key in ("aliases", "domains"):
            fields[key] = list(fields[key]) + [v for v in value if v not in fields[key]]
        else:
            fields[key] = value
    return entry_from_raw(fields)


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def dump_entries(entries: list[dict[str, Any]]) -> str:
    """Registry TOML for raw entry dicts, fields in schema order."""
    out = []
    for e in entries:
        out.append("\n[[source]]")
        for key in FIELDS:
            if key in e:
                out.append(f"{key} = {_toml_value(e[key])}")
    return "\n".join(out).lstrip("\n") + "\n"
