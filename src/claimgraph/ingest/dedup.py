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
from collections import OrderedDict
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
RECENT = 256  # articles kept for the same-day tie-break; more than one write batch
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
    """Classifies articles as new, duplicate or reprint against the store and the current run.

    The original of a reprint pair is the one published first (ingestion order breaks ties and
    stands in for missing dates). When an article turns out to be the original of copies already
    checked, those copies must be re-pointed at it: the Deduper keeps these corrections and applies
    them with :meth:`flush_corrections` through the store's optional ``mark_reprint(article_id,
    original_id)``. A store without that method keeps the simpler rule: the article seen later is
    the reprint of the one seen first.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        from datasketch import MinHashLSH

        self.store = store
        self.threshold = min(max(float(settings.reprint_threshold), 0.05), 0.99)
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
        self._outlet: dict[str, str | None] = {}
        self._hash: dict[str, Any] = {}
        self._order: dict[str, int] = {}
        self._reprint_of: dict[str, str | None] = {}  # known links, this run's and stored ones looked up
        self._published: dict[str, str | None] = {}
        self._seen: set[str] = set()
        self._recent: OrderedDict[str, Article] = OrderedDict()
        self.pending: dict[str, str] = {}  # article id -> original id, not yet written to the store
        self._can_correct = callable(getattr(store, "mark_reprint", None))
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
        if self.pending:
            self.flush_corrections()
        mh = _minhash(text=article.text)
        signature = minhash_signature_from(mh)
        if article.id in self._seen or article.id in self._hash or self.store.has_article(article.id):
            return "duplicate", article, signature
        self._seen.add(article.id)
        self._published[article.id] = article.published
        # The last few articles may still sit in the caller's unwritten batch; the tie-break between
        # same-day copies reads their text from here.
        self._recent[article.id] = article
        if len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        self._reprint_of[article.id] = None
        status = "new"
        if len(_WORD.findall(article.text)) >= MIN_WORDS:
            group = self._copies_of(article, mh)
            if group:
                original = self._earliest(group, article)
                if original != article.id:
                    article = _with_reprint(article, original)
                    self._reprint_of[article.id] = original
                    status = "reprint"
                else:
                    self._repoint(group, article.id)
                    self.flush_corrections()  # copies stored in earlier batches are fixed now
        self._index(article.id, article.outlet, mh)
        return status, article, signature

    def reprints_seen(self) -> int:
        """Articles of this run that are reprints, counting those re-pointed after the fact."""
        return sum(1 for aid in self._seen if self._reprint_of.get(aid))

    def flush_corrections(self) -> int:
        """Write the pending re-pointings whose articles are stored by now; returns how many."""
        done = 0
        for aid, original in list(self.pending.items()):
            if self.store.has_article(aid):
                self.store.mark_reprint(aid, original)  # type: ignore[attr-defined]
                del self.pending[aid]
                done += 1
        return done

    def _copies_of(self, article: Article, mh: Any) -> list[str]:
        """Near-identical articles under other outlets, with the originals they point at."""
        found: list[str] = []
        for cand in self._lsh.query(mh):
            if cand == article.id or not _other_outlet(self._outlet.get(cand), article.outlet):
                continue
            if float(mh.jaccard(self._hash[cand])) < self.threshold:
                continue  # LSH candidates are approximate; the estimate decides
            found.append(cand)
            root = self._root(cand)
            if root != cand:
                found.append(root)
        return list(dict.fromkeys(found))

    def _root(self, aid: str) -> str:
        seen = {aid}
        while True:
            nxt = self._link(aid)
            if nxt is None or nxt in seen:
                return aid
            seen.add(nxt)
            aid = nxt

    def _link(self, aid: str) -> str | None:
        if aid not in self._reprint_of:
            self._remember(aid)
        return self._reprint_of.get(aid)

    def _remember(self, aid: str) -> None:
        """Date and link of a stored article, read once and only for articles that matched."""
        try:
            stored = self.store.get_article(aid)
        except StoreError:
            stored = None  # without its date the article just sorts last
        self._published[aid] = stored.published if stored else None
        self._reprint_of[aid] = stored.reprint_of if stored else None

    def _earliest(self, group: list[str], article: Article) -> str:
        def key(aid: str) -> tuple[str, int]:
            if aid not in self._published:
                self._remember(aid)
            # A missing date sorts last; ingestion order decides among equal dates.
            return (self._published.get(aid) or "9999", self._order.get(aid, len(self._order)))

        earliest = min(group, key=key)
        if not self._can_correct:
            # the copy seen first is the original
            return self._root(min(group, key=lambda aid: self._order.get(aid, len(self._order))))
        mine, theirs = article.published or "9999", key(earliest)[0]
        if mine < theirs:
            return article.id
        if mine == theirs:
            # Same day, or no dates: a copy usually credits its source ("provided by Meridian Wire",
            # "(VTA)") while the source does not name the copy.
            other = self._article(earliest)
            if other is not None and credits(other, article) and not credits(article, other):
                return article.id
        return self._root(earliest)

    def _article(self, aid: str) -> Article | None:
        if aid in self._recent:
            return self._recent[aid]
        try:
            return self.store.get_article(aid)
        except StoreError:
            return None

    def _repoint(self, group: list[str], original: str) -> None:
        """``original`` came in after its copies: they, and the copies of them, now point at it."""
        targets = set(group)
        targets |= {a for a, o in self._reprint_of.items() if o in targets}
        for aid in targets:
            if aid != original:
                self._reprint_of[aid] = original
                self.pending[aid] = original


def _names(article: Article) -> set[str]:
    names = {article.outlet_name or ""}
    if article.outlet:
        names.add(article.outlet.split(".")[0] if "." in article.outlet else article.outlet)
    return {n.casefold().strip() for n in names if len(n.strip()) >= 3}


def credits(copy: Article, source: Article) -> bool:
    """Does ``copy`` name ``source``'s outlet in its text ("This story was provided by Meridian Wire")?"""
    text = copy.text.casefold()
    squeezed = re.sub(r"[\W_]+", "", text)
    for name in _names(source):
        key = re.sub(r"[\W_]+", "", name)
        if len(key) >= 6 and key in squeezed:  # "meridianwire" (the domain) in "Meridian Wire"
            return True
        if len(key) >= 3 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            return True
    return False


def minhash_signature_from(mh: Any) -> bytes:
    import numpy as np

    return bytes(np.asarray(mh.hashvalues, dtype=np.uint64).tobytes())


def _other_outlet(a: str | None, b: str | None) -> bool:
    # Two articles with no known outlet cannot be told apart as publishers, so they are not reprints.
    return (a or "").casefold() != (b or "").casefold()


def _with_reprint(article: Article, original: str) -> Article:
    import dataclasses

    return dataclasses.replace(article, reprint_of=original)
