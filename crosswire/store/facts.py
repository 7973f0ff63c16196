"""Store methods for the facts stage: which articles still need analysis, analyses and facts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from crosswire.models import Analysis, Fact
from crosswire.times import utcnow_iso

FACT_COLUMNS = 'id, article_id, kind, about, value, text, start, "end", stage, confidence, role, detail, ordinal'


def _row_to_fact(row: sqlite3.Row) -> Fact:
    return Fact(
        article_id=row["article_id"],
        kind=row["kind"],
        about=row["about"],
        value=json.loads(row["value"]),
        text=row["text"],
        start=row["start"],
        end=row["end"],
        stage=row["stage"],
        confidence=row["confidence"],
        role=row["role"],
        detail=json.loads(row["detail"]),
        ordinal=row["ordinal"],
    )


def paged_rows(conn: sqlite3.Connection, table: str, columns: str, batch: int) -> Iterator[sqlite3.Row]:
    """Every row of a table in rowid order, fetched ``batch`` rows at a time (memory stays flat)."""
    last = -1
    while True:
        rows = conn.execute(
            f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, batch)
        ).fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1]["rowid"]


class FactsMixin:
    """Facts-stage tables (``analyses``, ``facts``) on the one store connection."""

    conn: sqlite3.Connection

    def pending_analysis(self, pipeline: str) -> list[str]:
        """Ids of articles never analysed, or analysed by another pipeline version, oldest first.

        Copies (``duplicate_of`` set) are analysed too: their facts are theirs, while the
        cross-check counts them once with their original.
        """
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT a.id FROM articles a JOIN article_published p ON p.article_id = a.id "
                "LEFT JOIN analyses n ON n.article_id = a.id "
                "WHERE n.article_id IS NULL OR n.pipeline != ? "
                "ORDER BY coalesce(p.published_utc, p.published, a.fetched, a.ingested_at), a.rowid",
                (pipeline,),
            )
        ]

    def save_analysis(self, analysis: Analysis, pipeline: str, run_id: int | None) -> None:
        """Replace an article's analysis and facts (the facts stage's own records; the article
        itself is never written); call inside a transaction. Facts go in with a plain INSERT: two
        facts with one id raise ``sqlite3.IntegrityError`` instead of one silently replacing the other."""
        c = self.conn
        c.execute("DELETE FROM facts WHERE article_id = ?", (analysis.article_id,))
        # A text-derived day kept by migration 0005 is superseded by this analysis' own reading.
        c.execute("DELETE FROM published_migrated WHERE article_id = ?", (analysis.article_id,))
        c.execute(
            "INSERT OR REPLACE INTO analyses(article_id, pipeline, status, reason, detail, event, "
            "discards, published_evidence, seconds, run_id, analyzed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                analysis.article_id,
                pipeline,
                analysis.status,
                analysis.reason,
                analysis.detail,
                json.dumps(analysis.event, ensure_ascii=False),
                json.dumps([asdict(d) for d in analysis.discards], ensure_ascii=False),
                json.dumps(analysis.published_evidence, ensure_ascii=False)
                if analysis.published_evidence
                else None,
                round(sum(analysis.timings.values()), 4),
                run_id,
                utcnow_iso(),
            ),
        )
        c.executemany(
            f"INSERT INTO facts({FACT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    f.id, f.article_id, f.kind, f.about, json.dumps(f.value, ensure_ascii=False), f.text,
                    f.start, f.end, f.stage, f.confidence, f.role, json.dumps(f.detail, ensure_ascii=False),
                    f.ordinal,
                )
                for f in analysis.facts
            ],
        )

    def facts_of(self, article_id: str) -> list[Fact]:
        return [
            _row_to_fact(r)
            for r in self.conn.execute(
                f"SELECT {FACT_COLUMNS} FROM facts WHERE article_id = ? ORDER BY start, \"end\", kind, id", (article_id,)
            )
        ]

    def analysis_of(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        for key in ("event", "discards", "published_evidence"):
            out[key] = json.loads(out[key]) if out[key] else None
        return out

    def iter_facts(self, batch: int = 5000) -> Iterator[Fact]:
        """Every fact, article by article, read in batches (memory stays flat)."""
        return (_row_to_fact(r) for r in paged_rows(self.conn, "facts", FACT_COLUMNS, batch))

    def count_facts(self, kinds: Iterable[str] | None = None) -> int:
        if kinds is None:
            return int(self.conn.execute("SELECT count(*) FROM facts").fetchone()[0])
        ks = list(kinds)
        marks = ",".join("?" * len(ks))
        return int(self.conn.execute(f"SELECT count(*) FROM facts WHERE kind IN ({marks})", ks).fetchone()[0])
