"""Duplicates and reprints.

A *duplicate* is an article whose id is already stored or was seen earlier in this run: ids hash the
outlet and the normalised text, so re-ingesting the same input stores nothing new. A *reprint* is a
near-identical text under another outlet (wire copy republished, a blog reposting a report): it is
stored, marked ``reprint_of`` the earlier article, because the trail stage needs to know that two
outlets carrying the same words are one voice, not two.

Near-identity is the Jaccard similarity of word 3-gram sets, estimated with datasketch's MinHash and
looked up through an LSH index, so a check costs the same whatever the number of stored articles.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..models import Article
from .article import article_id

if TYPE_CHECKING:
    from ..settings import Settings
    from ..store import Store

__all__ = ["Deduper", "article_id", "minhash_signature", "shingles"]

NUM_PERM = 128  # 128 permutations: Jaccard estimates within ~0.09 (1 s.d. at J=0.5), 1 KiB per article
SHINGLE = 3  # word 3-grams: robust to a changed word or two, yet two unrelated texts share almost none
# Below this many words a text (a feed summary, a one-line brief) shares its shingles with too many
# others by chance; such articles are never called reprints.
MIN_WORDS = 20
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if len(words) < SHINGLE:
        return {w.encode("utf-8") for w in words}
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


# datasketch 2 needs the hashing scheme named when a MinHash is rebuilt from stored values; naming it
# on creation too keeps both sides identical across datasketch upgrades.
SCHEME = "affine32"


def _minhash(signature: bytes | None = None, text: str | None = None) -> Any:
    import numpy as np
    from datasketch import MinHash

    if signature is not None:
        # Signatures are stored as uint64 whatever datasketch's internal width, so they stay readable
        # across datasketch versions.
        values = np.frombuffer(signature, dtype=np.uint64)
        rebuilt = MinHash(num_perm=len(values), hashvalues=values, scheme=SCHEME)
        rebuilt.hashvalues = values.copy()  # datasketch narrows them to its scheme's width
        return rebuilt
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(shingles(text or "")))
    # One width for signatures computed here and signatures read back from the store, so that the
    # LSH index (which hashes the raw bytes of the values) files them alike.
    m.hashvalues = np.asarray(m.hashvalues, dtype=np.uint64)
    return m


def minhash_signature(text: str) -> bytes:
    """MinHash signature bytes of ``text`` (what the store keeps for reprint detection)."""
    import numpy as np

    return bytes(np.asarray(_minhash(text=text).hashvalues, dtype=np.uint64).tobytes())


class Deduper:
    """Classifies articles as new, duplicate or reprint against the store and the current run."""

    def __init__(self, store: Store, settings: Settings) -> None:
        from datasketch import MinHashLSH

        self.store = store
        self.threshold = min(max(float(settings.reprint_threshold), 0.05), 0.99)
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
        self._outlet: dict[str, str | None] = {}
        self._hash: dict[str, Any] = {}
        self._order: dict[str, int] = {}
        self._reprint_of: dict[str, str] = {}
        self._seen: set[str] = set()
        try:
            for aid, outlet, signature in store.iter_minhashes():
                if signature and len(signature) == NUM_PERM * 8:
                    self._index(aid, outlet, _minhash(signature))
        except StoreError:
            raise
        except Exception as exc:  # a corrupt signature row must be reported, not crash the run
            raise StoreError(f"cannot read the stored MinHash signatures ({exc}); "
                             "the database may be damaged") from exc

    def _index(self, aid: str, outlet: str | None, mh: Any) -> None:
        if aid in self._hash:
            return
        self._order[aid] = len(self._order)
        self._outlet[aid] = outlet
        self._hash[aid] = mh
        self._lsh.insert(aid, mh)

    def check(self, article: Article) -> tuple[str, Article, bytes]:
        """("new" | "duplicate" | "reprint", the article (``reprint_of`` set for a reprint), signature)."""
        mh = _minhash(text=article.text)
        signature = minhash_signature_from(mh)
        if article.id in self._seen or article.id in self._hash or self.store.has_article(article.id):
            return "duplicate", article, signature
        self._seen.add(article.id)
        status = "new"
        if len(_WORD.findall(article.text)) >= MIN_WORDS:
            original = self._original_of(article, mh)
            if original is not None:
                article = _with_reprint(article, original)
                self._reprint_of[article.id] = original
                status = "reprint"
        self._index(article.id, article.outlet, mh)
        return status, article, signature

    def _original_of(self, article: Article, mh: Any) -> str | None:
        best: tuple[float, int, str] | None = None
        for cand in self._lsh.query(mh):
            if cand == article.id or not _other_outlet(self._outlet.get(cand), article.outlet):
                continue
            sim = float(mh.jaccard(self._hash[cand]))
            if sim < self.threshold:
                continue  # LSH candidates are approximate; the estimate decides
            key = (-sim, self._order[cand], cand)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        original = best[2]
        # A reprint of a reprint points at the first article, where the words came from.
        seen = {original}
        while original in self._reprint_of and self._reprint_of[original] not in seen:
            original = self._reprint_of[original]
            seen.add(original)
        return original


def minhash_signature_from(mh: Any) -> bytes:
    import numpy as np

    return bytes(np.asarray(mh.hashvalues, dtype=np.uint64).tobytes())


def _other_outlet(a: str | None, b: str | None) -> bool:
    # Two articles with no known outlet cannot be told apart as publishers, so they are not reprints.
    return (a or "").casefold() != (b or "").casefold()


def _with_reprint(article: Article, original: str) -> Article:
    import dataclasses

    return dataclasses.replace(article, reprint_of=original)
