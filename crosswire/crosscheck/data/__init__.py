"""Reference facts no maintained package gives, shipped as small tables with a public source per row.

``organisations.csv``: one row per founding (``event`` = ``founded``, ``member`` empty) and per
accession of a member (``event`` = ``joined``, ``member`` an ISO 3166-1 alpha-2 code as Natural
Earth's ``ISO_A2_EH`` writes it), with the ``date`` (ISO), a ``note`` and the ``source`` (one or
more URLs, space-separated). Today it holds NATO: the North Atlantic Treaty signed in Washington on
1949-04-04 and its 32 members as of 2024 (Sweden the last, 2024-03-07), from nato.int's treaty text
and member-countries page and Wikipedia's "Member states of NATO" list. Founding members are dated
1949-08-24, when the treaty entered into force (as both sources date them).

Read once per process by :func:`rows`, which rejects a malformed row (bad date, missing source,
unknown event) with :class:`~crosswire.errors.CrosswireError` naming the file and line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from crosswire.errors import CrosswireError

__all__ = ["Row", "rows", "founding", "accession", "members", "TABLE"]

TABLE = Path(__file__).with_name("organisations.csv")


@dataclass(frozen=True)
class Row:
    """One reference fact: an organisation's founding or a member's accession."""

    organisation: str
    member: str | None
    event: str  # "founded" | "joined"
    date: date
    note: str
    source: str


@lru_cache(maxsize=1)
def rows() -> tuple[Row, ...]:
    """Every row of ``organisations.csv``, checked."""
    out = []
    with TABLE.open(encoding="utf-8", newline="") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            where = f"{TABLE.name}:{line}"
            try:
                day = date.fromisoformat(r["date"])
            except (TypeError, ValueError) as e:
                raise CrosswireError(f"{where}: date {r.get('date')!r} is not an ISO date ({e}); fix the row") from e
            if r["event"] not in ("founded", "joined") or not (r.get("source") or "").startswith("https://"):
                raise CrosswireError(f"{where}: every row needs event 'founded' or 'joined' and an https source; "
                                     f"fix the row")
            if (r["event"] == "joined") != bool(r["member"]):
                raise CrosswireError(f"{where}: a 'joined' row names a member, a 'founded' row none; fix the row")
            out.append(Row(r["organisation"], r["member"] or None, r["event"], day, r["note"], r["source"]))
    return tuple(out)


def founding(organisation: str) -> Row | None:
    """The founding row of an organisation (a key such as ``NATO``), else None."""
    return next((r for r in rows() if r.organisation == organisation and r.event == "founded"), None)


def accession(organisation: str, member: str) -> Row | None:
    """The row of a member's accession to an organisation, else None."""
    return next((r for r in rows() if r.organisation == organisation and r.member == member), None)


def members(organisation: str, on: date | None = None) -> dict[str, Row]:
    """Member code -> accession row, for members that had joined by ``on`` (all listed when None)."""
    return {r.member: r for r in rows() if r.organisation == organisation and r.event == "joined"
            and r.member and (on is None or r.date <= on)}
