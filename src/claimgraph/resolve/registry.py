"""The source registry: who a source is, who owns it, and which sources count as one.

``Registry.match(text)`` tries, in order and stopping at the first hit:

1. the alias exactly as written;
2. a bare domain ("sana.sy", "Sputniknews.com");
3. the normalised alias (case, "the", possessive, diacritics, punctuation, hyphens, spelling),
   with and without Arabic articles ("al-Watan" / "Watan");
4. the parts of "Syrian Arab News Agency (SANA)";
5. fuzzy matching (rapidfuzz) over the aliases that share a word or a prefix with the text;
6. the longest run of words inside a longer source text ("the Russian state-run media outlet
   Sputnik"), where a single word counts only if it is an acronym or the text's last word.

All lookups are dict hits except step 5, which scores a few dozen candidates, so matching is cheap
enough to run on every claim.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import RegistryError
from .countries import demonym_to_country, state_group
from .names import domain_candidates, drop_articles, normalise
from .schema import Entry, Problem, entry_from_raw, load_entries, parse_registry

# Words that may not make up a match on their own inside a longer source text, and that never
# seed fuzzy candidates: they occur in too many names.
_WEAK_WORDS = frozenset("""
the a an of and for in on at to by from with news agency media press service services tv radio
television channel network daily times post new national international state official government
ministry ministers minister department office council committee forces force army group people
public sources source report reports world is us it as or be we he she they who
""".split())

# Words for the people and products of a source: "SANA correspondent", "Pentagon officials".
_ROLE_WORDS = frozenset("""
reporter reporters correspondent correspondents official officials spokesman spokeswoman spokesperson
spokespeople journalist journalists website site statement statements channel anchor editor editors
source sources report reports command commander commanders leader leaders chief envoy envoys
""".split())

# Kinds whose one-word names (Sputnik, Reuters, Putin) are distinctive enough to be picked out as
# the last word of a longer source text.
_HEAD_KINDS = frozenset({"news agency", "outlet", "broadcaster", "monitor/NGO", "person"})

_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF][\w'’.\-]*")
_DOMAIN_LIKE = re.compile(r"^[\w-]+(\.[\w-]+)*\.[a-z]{2,}$", re.I)
_STATE_MEDIA = re.compile(
    r"\b([a-z][a-z.]*(?: [a-z]+)?)\s+(?:state|state[- ]run|state[- ]owned|state[- ]controlled|"
    r"government|government[- ]run|government[- ]controlled|pro[- ]government|official|regime)\s+"
    r"(?:media|press|news agency|news agencies|news|television|tv|outlets?|broadcasters?|channels?|"
    r"newspapers?|radio)\b"
)

_NAME_RUN = re.compile(
    r"(?:[A-Z][\w'’.-]*)(?:\s+(?:(?:of|for|the|al|on|de)\s+)*[A-Z][\w'’.-]*)*"
)

MIN_FUZZY_LENGTH = 5  # below this, one edit changes the name: "AFP" is not "AP"


@dataclass(frozen=True)
class Match:
    entry: Entry
    method: str  # exact | domain | normalised | parenthesis | words | fuzzy
    score: float = 100.0


@lru_cache(maxsize=4)
def _shipped_entries(path: str, mtime: float) -> tuple[Entry, ...]:
    # Keyed on the modification time, so an edited file is re-read and tests need no reset.
    return tuple(load_entries(Path(path).read_text(encoding="utf-8"), path))


def shipped_path() -> Path:
    return Path(str(resources.files("claimgraph.resolve") / "data" / "registry.toml"))


def read_registry_file(path: str) -> str:
    """The text of a user registry file; RegistryError saying what to do when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except IsADirectoryError as exc:
        raise RegistryError(f"registry file {path}: a folder, not a file; give the path of the TOML file") from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(f"registry file {path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                            "save it as UTF-8 TOML") from exc
    except OSError as exc:
        raise RegistryError(f"registry file {path}: cannot read it ({exc.strerror or exc}); "
                            "check the path") from exc


@dataclass(frozen=True)
class RegistryCheck:
    """What ``claimgraph sources --check`` reports on a user registry file."""

    path: str
    entries: int
    new: int  # entries whose id the shipped registry does not have (the others override it)
    problems: tuple[Problem, ...]


def check_registry_file(path: str) -> RegistryCheck:
    """Validate a user registry file against the schema, layered over the shipped registry (an
    entry overriding a shipped id may leave out the fields it keeps). RegistryError if unreadable."""
    text = read_registry_file(path)
    shipped = Registry.load()
    raws, problems = parse_registry(text, path, frozenset(shipped.entries))
    new = sum(1 for r in raws if r.get("id") not in shipped.entries)
    return RegistryCheck(path, len(raws), new, tuple(problems))


class Registry:
    def __init__(self, entries: Iterable[Entry], fuzzy_threshold: float = 90.0) -> None:
        self.entries: dict[str, Entry] = {}
        self.fuzzy_threshold = fuzzy_threshold
        self._exact: dict[str, str] = {}
        self._norm: dict[str, str] = {}
        self._domains: dict[str, str] = {}
        self._by_token: dict[str, set[str]] = defaultdict(set)
        self._by_prefix: dict[str, set[str]] = defaultdict(set)
        self.collisions: list[tuple[str, str, str]] = []  # (key, kept id, ignored id)
        for entry in entries:
            self._add(entry)
        self._demonyms = demonym_to_country()
        self._alias_keys: frozenset[str] | None = None

    # --- building ---------------------------------------------------------------------------
    @classmethod
    def load(cls, user_file: str | None = None, fuzzy_threshold: float = 90.0) -> Registry:
        """The shipped registry with ``user_file`` (TOML, same schema) layered on top."""
        path = shipped_path()
        shipped = _shipped_entries(str(path), path.stat().st_mtime)
        if not user_file:
            return cls(shipped, fuzzy_threshold)
        by_id = {e.id: e for e in shipped}
        text = read_registry_file(user_file)
        raws, problems = parse_registry(text, user_file, frozenset(by_id))
        if problems:
            listed = "\n".join(f"  {user_file}:{p.line}: {p.message}" for p in problems[:20])
            raise RegistryError(f"{user_file} does not follow the registry schema:\n{listed}\n"
                                f"Fix it (see `claimgraph sources --check {user_file}`).")
        user = [entry_from_raw(r, by_id.get(r["id"])) for r in raws]
        user_ids = {e.id for e in user}
        # User entries first: on an alias both claim, the user's reading wins.
        return cls([*user, *(e for e in shipped if e.id not in user_ids)], fuzzy_threshold)

    def _add(self, entry: Entry) -> None:
        if entry.id in self.entries:
            return
        self.entries[entry.id] = entry
        for alias in (entry.name, *entry.aliases):
            self._exact.setdefault(alias.strip(), entry.id)
            key = normalise(alias)
            if not key:
                continue
            for k in {key, drop_articles(key)}:
                kept = self._norm.setdefault(k, entry.id)
                if kept != entry.id:
                    self.collisions.append((k, kept, entry.id))
            for word in key.split():
                if len(word) >= 3 and word not in _WEAK_WORDS:
                    self._by_token[word].add(key)
            self._by_prefix[key[:3]].add(key)
        for domain in entry.domains:
            self._domains.setdefault(domain.lower(), entry.id)

    def alias_keys(self) -> frozenset[str]:
        """Every normalised alias: names the gazetteer must not take for places without a cue."""
        if self._alias_keys is None:
            self._alias_keys = frozenset(self._norm)
        return self._alias_keys

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    # --- matching ---------------------------------------------------------------------------
    def match(self, text: str | None) -> Entry | None:
        found = self.explain(text)
        return found.entry if found else None

    def match_domain(self, domain: str | None) -> Entry | None:
        """The entry of a URL or domain: "https://www.sana.sy/en/?p=1" -> SANA."""
        if not domain:
            return None
        for cand in domain_candidates(domain):
            if cand in self._domains:
                return self.entries[self._domains[cand]]
        return None

    def explain(self, text: str | None) -> Match | None:
        """The entry ``text`` names and how it was found, or None."""
        if not text or not text.strip():
            return None
        text = text.strip()
        if text in self._exact:
            return Match(self.entries[self._exact[text]], "exact")
        if _DOMAIN_LIKE.match(text) and (hit := self.match_domain(text)):
            return Match(hit, "domain")
        if hit := self._lookup(text):
            return Match(hit, "normalised")
        inner = re.findall(r"\(([^)]+)\)", text)
        if inner:
            for part in (re.sub(r"\s*\([^)]*\)", "", text), *inner):
                if hit := self._lookup(part):
                    return Match(hit, "parenthesis")
        # Fuzzy before words: "Syrain Arab News Agency" is SANA misspelt, not "Arab News".
        if found := self._fuzzy(normalise(text)):
            return found
        if hit := self._words(text):
            return Match(hit, "words")
        return None

    def _lookup(self, text: str) -> Entry | None:
        key = normalise(text)
        for k in (key, drop_articles(key)):
            if k in self._norm:
                return self.entries[self._norm[k]]
        return None

    def _words(self, text: str) -> Entry | None:
        tokens = _TOKEN.findall(re.sub(r"\([^)]*\)", " ", text))
        n = len(tokens)
        for size in range(min(n - 1, 8), 0, -1):
            for start in range(n - size + 1):
                window = tokens[start:start + size]
                key = normalise(" ".join(window))
                if size == 1 and re.fullmatch(r"[A-Z]{2,}s", window[0]):
                    key = key[:-1]  # "SANAs correspondent": a possessive that lost its apostrophe
                entry_id = self._norm.get(key) or self._norm.get(drop_articles(key))
                if entry_id is None:
                    continue
                entry = self.entries[entry_id]
                content = [w for w in key.split() if w not in _WEAK_WORDS]
                if size >= 2 and content:
                    return entry
                if size == 1 and content:
                    word = window[0].strip(".'’")
                    acronym = len(word) >= 3 and word.isupper()
                    head = start == n - 1 and word[:1].isupper() and entry.kind in _HEAD_KINDS
                    # "Al-Manar reporter", "Pentagon officials": the name, then only its people.
                    roles = word[:1].isupper() and start < n - 1 and all(
                        normalise(t) in _ROLE_WORDS or normalise(t) in _WEAK_WORDS for t in tokens[start + 1:])
                    if acronym or head or roles:
                        return entry
        return None

    def _fuzzy(self, key: str) -> Match | None:
        # Threshold calibrated on tests/test_resolve_registry.py::FUZZY_CASES (26 misspellings and
        # reorderings of registry names, 24 near misses such as "Syrian refugees", "a security
        # source", "Syrian Arab Airlines"). Best score of any wrong entry: 78.6; of the right entry:
        # 93 and up, apart from spellings added as aliases instead ("Al-Jazira" 84, "Hizballah" 89).
        # The default 90 (settings.fuzzy_threshold) sits in that gap nearer the misspellings, because
        # a false match puts a source in the wrong group while a miss only leaves it unresolved.
        if len(key) < MIN_FUZZY_LENGTH:
            return None
        candidates: set[str] = set(self._by_prefix.get(key[:3], ()))
        for word in key.split():
            if len(word) >= 3 and word not in _WEAK_WORDS:
                candidates |= self._by_token.get(word, set())
        best: tuple[float, str] | None = None
        for cand in candidates:
            if abs(len(cand) - len(key)) > max(4, len(key) // 3):
                continue
            score = max(fuzz.ratio(key, cand), fuzz.token_sort_ratio(key, cand))
            if score >= self.fuzzy_threshold and (best is None or score > best[0]):
                best = (score, cand)
        if best is None:
            return None
        return Match(self.entries[self._norm[best[1]]], "fuzzy", best[0])

    def mentions(self, text: str) -> list[tuple[int, Entry]]:
        """Entries named in running text, by runs of capitalised words and acronyms, in order.
        Exact and normalised aliases only: this scans prose, where fuzzy matching would invent."""
        found: list[tuple[int, Entry]] = []
        for m in _NAME_RUN.finditer(text):
            run = m.group(0)
            hit = self._lookup(run) or self._words(run)
            if hit is not None:
                found.append((m.start(), hit))
        return found

    def state_media_group(self, text: str | None) -> tuple[str, str] | None:
        """(group, country) for descriptors that name a state's media without naming an outlet:
        "Russian state-run media" -> ("Russian state", "RU")."""
        if not text:
            return None
        folded = normalise(text).replace(" ", " ")
        folded = re.sub(r"\b(state|government|pro) (run|owned|controlled|government)\b", r"\1-\2", folded)
        m = _STATE_MEDIA.search(folded)
        if not m:
            return None
        words = m.group(1).split()
        for cand in (" ".join(words[-2:]), words[-1]):
            country = self._demonyms.get(cand)
            if country:
                return state_group(country), country
        return None

    # --- listing ----------------------------------------------------------------------------
    def search(self, query: str | None = None, limit: int | None = None) -> list[Entry]:
        """Entries whose id, name, alias, domain, country or group contains ``query`` (all when
        empty), then the fuzzy match when nothing contains it."""
        if not query:
            found = list(self.entries.values())
        else:
            q = normalise(query)
            found = [
                e for e in self.entries.values()
                if any(q in normalise(s) for s in (e.id, e.name, e.group, e.country, *e.aliases, *e.domains))
            ]
            if not found and (hit := self.match(query)):
                found = [hit]
        return found[:limit] if limit else found
