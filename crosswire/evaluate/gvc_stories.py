"""Story grouping scored on the Gun Violence Corpus: the articles of one incident together.

GVC (Vossen et al., LREC 2018; CC BY 4.0) pairs articles with the Gun Violence Archive incident
they report; incidents look alike (same kind, often the same city). Each split's articles are fed
to the product in publication (``dct``) order, as news-please records with their title, date and
URL (the outlet is the original site inside the web.archive.org address), then ingested, analysed
and grouped exactly as :mod:`crosswire.evaluate.ecbplus` does, and scored with B-cubed and
pairwise P/R/F1 against the incidents.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from crosswire.progress import SILENT, Progress
from crosswire.evaluate.ecbplus import SPLITS, GoldDoc, evaluate_grouping

_ARCHIVE = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/", re.I)


def original_url(uri: str) -> str:
    """The address a web.archive.org snapshot was taken of (the address itself otherwise)."""
    return _ARCHIVE.sub("", uri or "")


def read_gvc_stories(path: Path, split: str = "test") -> list[GoldDoc]:
    """The articles of one split in publication order, each gold-labelled by incident."""
    if split not in SPLITS:
        raise ValueError(f"unknown GVC split {split!r}: use one of {', '.join(SPLITS)}")
    docs = []
    with (Path(path) / "documents.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if split not in ("all", r["split"]):
                continue
            record = {"title": r.get("title") or "", "maintext": r.get("text") or "",
                      "date_publish": r.get("dct"), "url": original_url(r.get("uri") or "")}
            docs.append(GoldDoc(r["doc_id"], str(r["incident_id"]), r["split"], record))
    return sorted(docs, key=lambda d: (d.record["date_publish"] or "", d.doc_id))


def evaluate_gvc_stories(path: Path, split: str = "test", *, cache_dir: Path | None = None, model=None,  # type: ignore[no-untyped-def]
                         progress: Progress = SILENT) -> dict[str, Any]:
    """B-cubed and pairwise P/R/F1 of story grouping on one GVC split."""
    return evaluate_grouping(f"gvc-{split}", read_gvc_stories(path, split), cache_dir=cache_dir,
                             model=model, progress=progress)
