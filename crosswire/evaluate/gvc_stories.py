"""Story grouping scored on the Gun Violence Corpus: the articles of one incident together.

GVC (Vossen et al., LREC 2018; CC BY 4.0) pairs articles with the Gun Violence Archive incident
they report; incidents look alike (same kind, often the same city). Each split's articles are fed
to the product in publication (``dct``) order as news-please records (``title``, ``maintext``,
``date_publish`` = the ``dct``, ``url`` = the address the web.archive.org snapshot was taken of, so
that the outlet is the original site, as a reader of that page would give it), run through
``crosswire run`` by :func:`crosswire.evaluate.ecbplus.run_product` and scored with B-cubed and
pairwise P/R/F1 against the incidents. Documents map to articles by that URL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from crosswire.evaluate.ecbplus import SPLITS, GoldDoc, ProductRun, grouping_metrics, run_product
from crosswire.progress import SILENT, Progress

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


def run_gvc(path: Path, split: str = "test", *, cache_dir: Path | None = None,
            progress: Progress = SILENT) -> tuple[ProductRun, list[GoldDoc]]:
    """``crosswire run`` on one GVC split (cached) and the split's documents."""
    docs = read_gvc_stories(path, split)
    return run_product(f"gvc-{split}", docs, cache_dir=cache_dir, progress=progress), docs


def evaluate_gvc_stories(path: Path, split: str = "test", *, cache_dir: Path | None = None,
                         progress: Progress = SILENT,
                         run: tuple[ProductRun, list[GoldDoc]] | None = None) -> dict[str, Any]:
    """B-cubed and pairwise P/R/F1 of the stories ``crosswire run`` makes of one GVC split
    (``run``: a run of :func:`run_gvc` already made)."""
    product, docs = run or run_gvc(path, split, cache_dir=cache_dir, progress=progress)
    return grouping_metrics(product, docs)
