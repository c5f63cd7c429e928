"""Normalising names and web addresses so that the many spellings of one source meet.

Pure functions, shared by the registry, the gazetteer and scripts/build_registry.py.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose but that transliterations of Arabic, Turkish and
# Kurdish names use; folding them lets "Şafak" meet "Safak" and "Ḩasakah" meet "Hasakah".
_EXTRA_FOLD = str.maketrans({
    "ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "þ": "th",
    "’": "'", "‘": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'", "`": "'", "´": "'", "–": "-", "—": "-",
})

# British/American and other spelling pairs that appear in source names.
_WORD_CANON = {
    "centre": "center", "defence": "defense", "organisation": "organization",
    "programme": "program", "mobilisation": "mobilization", "ministery": "ministry",
}

# Arabic definite articles written as separate words ("al-Hasakah", "ar-Raqqah", "Deir ez-Zor").
ARABIC_ARTICLES = frozenset({"al", "el", "ar", "as", "ash", "at", "ad", "az", "ez", "ed", "es", "an", "adh"})

_POSSESSIVE = re.compile(r"(?<=\w)'s?\b")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify quote and dash characters."""
    text = text.translate(_EXTRA_FOLD)
    if text.isascii():  # most names: NFKD leaves ASCII as it is and it holds no combining mark
        return text.casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


@lru_cache(maxsize=65536)  # the same names recur claim after claim; resolving calls this ~35 times per claim
def normalise(text: str) -> str:
    """The key two spellings of one name share: case, "the", possessives, diacritics, punctuation,
    hyphens and British/American spelling are erased. "The SANA's" -> "sana"."""
    text = fold(text).replace("&", " and ")
    text = text.replace(".", "")  # "U.S." -> "us", "A.P." -> "ap"
    text = _POSSESSIVE.sub("", text)
    words = _NON_WORD.sub(" ", text).split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(_WORD_CANON.get(w, w) for w in words)


def drop_articles(key: str) -> str:
    """A normalised key without Arabic articles: "al hasakah" -> "hasakah", "deir ez zor" -> "deir zor"."""
    words = key.split()
    kept = [w for i, w in enumerate(words) if not (w in ARABIC_ARTICLES and i + 1 < len(words))]
    return " ".join(kept)


def skeleton(key: str) -> str:
    """A coarse transliteration key for place names: articles, doubled letters, vowels after the first
    letter and the common consonant spellings collapse, so "Deir Ezzor", "Deir ez-Zor", "Dayr az Zawr"
    and "Deir al-Zour" all give "drzr". Only used on a gazetteer of a few hundred names, never on
    English text, because it is lossy."""
    words = drop_articles(key).split()
    out = []
    for i, w in enumerate(words):
        w = re.sub(r"(?<=[aeiou])h$", "", w)  # "Hasakah" / "Hasaka", "Raqqah" / "Raqqa"
        if i and w[:1] in "aeiouy":
            w = w[1:] or w  # "Deir Ezzor" / "Deir ez-Zor": the article has fused with the word
        w = w.replace("kh", "k").replace("sh", "s").replace("th", "t").replace("dh", "d")
        w = w.replace("gh", "g").replace("q", "k").replace("ou", "u").replace("ee", "i")
        w = re.sub(r"(.)\1+", r"\1", w)
        w = w[0] + re.sub(r"[aeiouyw']", "", w[1:]) if w else w
        out.append(w)
    return "".join(out)


def host_of(url_or_domain: str) -> str:
    """The lower-case host of a URL or bare domain, without "www." and port."""
    text = url_or_domain.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    return text[4:] if text.startswith("www.") else text


def domain_candidates(url_or_domain: str) -> list[str]:
    """The host and each parent domain, most specific first ("english.ahram.org.eg",
    "ahram.org.eg", "org.eg"), so that an entry for a subdomain wins over one for its parent and
    a registry domain matches whichever registered-domain rule wrote the article's outlet."""
    labels = host_of(url_or_domain).split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [".".join(labels)]
