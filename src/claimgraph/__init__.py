"""claimgraph: where a news claim comes from.

The public API is the names in ``__all__``; everything else is internal and may change.

    >>> from claimgraph import IngestOptions, load_settings, run
    >>> summary = run(["examples/"], IngestOptions(recursive=True), load_settings(db="demo.db"))
"""

from __future__ import annotations

from .errors import ClaimgraphError, InputError
from .ingest import IngestOptions
from .models import Article, Claim, DateRef, EntityRef, Place, Trail
from .pipeline import attribute_stored, ingest_paths, link_stored, run
from .settings import Settings, load_settings
from .store import open_store

__all__ = [
    "Article",
    "Claim",
    "ClaimgraphError",
    "DateRef",
    "EntityRef",
    "IngestOptions",
    "InputError",
    "Place",
    "Settings",
    "Trail",
    "attribute_stored",
    "ingest_paths",
    "link_stored",
    "load_settings",
    "open_store",
    "run",
]
