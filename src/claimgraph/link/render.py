"""Trails as JSON rows and as a terminal timeline (the CLI and the web UI share these)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..models import Claim, Trail, to_dict


def trail_json(trail: Trail) -> dict[str, Any]:
    """The JSON Lines row of a trail; citations as ``{from, to, kind}``."""
    origin = to_dict(trail.origin) if trail.origin else None
    return {
        "id": trail.id,
        "summary": trail.summary,
        "claim_ids": list(trail.claim_ids),
        "article_ids": list(trail.article_ids),
        "outlets": list(trail.outlets),
        "first_seen": trail.first_seen,
        "last_seen": trail.last_seen,
        "origin": origin,
        "citations": [{"from": c.src, "to": c.dst, "kind": c.kind} for c in trail.citations],
        "reprints": list(trail.reprints),
        "independent_groups": list(trail.independent_groups),
        "denials": list(trail.denials),
        "related": list(trail.related),
        "verdict": trail.verdict,
    }


def chain_label(claim: Claim) -> str:
    """"SANA ← local sources": the outermost relay first, the origin last. A claim whose source
    came out empty is the publisher's own word, and is shown as such rather than as a blank."""
    refs = claim.chain or ((claim.source, claim.channel) if claim.channel else (claim.source,))
    names = [(r.name or r.text).strip() for r in reversed(refs)]
    return " ← ".join(dict.fromkeys(n for n in names if n)) or (claim.publisher or claim.outlet or "").strip()


@dataclass(frozen=True)
class TimelineRow:
    date: str
    outlet: str
    cue: str
    chain: str
    stance: str  # "deny" rows are the trail's denials
    content: str
    claim_id: str
    reprint_of: str | None = None


def timeline(
    trail: Trail, get_claim: Callable[[str], Claim | None],
    reprint_of: Callable[[str], str | None] = lambda _aid: None,
) -> list[TimelineRow]:
    """The trail's claims and denials in date order; claims that vanished from the store are skipped."""
    rows = []
    for cid in (*trail.claim_ids, *trail.denials):
        claim = get_claim(cid)
        if claim is None:
            continue
        rows.append(TimelineRow(
            date=(claim.published or "")[:10],
            outlet=claim.publisher or claim.outlet or "",
            cue=claim.cue,
            chain=chain_label(claim),
            stance="deny" if cid in trail.denials else claim.stance,
            content=claim.content,
            claim_id=cid,
            reprint_of=reprint_of(claim.article_id) if claim.article_id in trail.reprints else None,
        ))
    rows.sort(key=lambda r: (r.date or "9999", r.claim_id))
    return rows


def timeline_text(trail: Trail, rows: Iterable[TimelineRow]) -> str:
    """A plain-text timeline (for logs, tests and terminals without colour)."""
    lines = [f"{trail.id}  {trail.summary}", ""]
    for r in rows:
        mark = "  DENIES" if r.stance == "deny" else ""
        reprint = f"  (reprint of {r.reprint_of})" if r.reprint_of else ""
        lines.append(f"{r.date or '?':10}  {r.outlet:22.22}  {r.cue:12.12}  {r.chain}  [{r.stance}]{mark}{reprint}")
    lines += ["", trail.verdict]
    if trail.related:
        lines.append("related: " + ", ".join(trail.related))
    return "\n".join(lines)
