"""List the conflicts the product shows on GVC stories, for judging by hand against the articles.

    python benchmarks/gvc_conflicts_judged.py ../shared/corpora --split train --split dev [--verdicts FILE]

Runs (or reuses, cached) ``crosswire run`` on each split as ``crosswire eval gvc`` does, and prints
every fact with status ``conflict`` as a Markdown table row: its story and fact id, what it is
about, each side's value with its outlets and the text of its source spans (with the words around
them), in a fixed order (sha256 of the fact id), so that a sample of the first N is reproducible.
With ``--verdicts`` (a tab-separated file: fact id, ``real`` or ``false``, reason), each row gets
its verdict and the precision is printed last. ``gvc_conflicts_judged.md`` is its output on train
and dev with the verdicts read from the articles.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
from pathlib import Path

from crosswire.evaluate.gvc_stories import run_gvc


def _context(db: sqlite3.Connection, s: dict, width: int = 110) -> str:
    row = db.execute("SELECT text, title FROM articles WHERE id = ?", (s["article"],)).fetchone()
    if row is None:
        return s.get("text") or ""
    if s.get("in") == "title":
        return f"(headline) {row['title']}"
    t = row["text"]
    a, b = max(0, s["start"] - width), min(len(t), s["end"] + width)
    return " ".join(("…" + t[a:s["start"]] + "**" + t[s["start"]:s["end"]] + "**" + t[s["end"]:b] + "…").split())


def _value(v: object) -> str:
    if isinstance(v, dict):
        keep = {k: v[k] for k in ("name", "admin1", "country", "value", "low", "high", "speaker") if k in v}
        return json.dumps(keep, ensure_ascii=False)
    return json.dumps(v, ensure_ascii=False)


def conflicts(corpora: Path, splits: list[str]) -> list[tuple[str, dict, dict, sqlite3.Connection]]:
    out = []
    for split in splits:
        product, _ = run_gvc(corpora / "gvc", split)
        db = sqlite3.connect(f"file:{product.folder / 'crosswire.db'}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        for r in product.records:
            for f in r.get("facts") or []:
                if f.get("status") == "conflict":
                    out.append((split, r, f, db))
    return sorted(out, key=lambda x: hashlib.sha256(x[2]["id"].encode()).hexdigest())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpora", type=Path)
    ap.add_argument("--split", action="append", default=[])
    ap.add_argument("--verdicts", type=Path)
    ap.add_argument("--limit", type=int, default=100)
    args = ap.parse_args()
    verdicts = {}
    if args.verdicts:
        for line in args.verdicts.read_text(encoding="utf-8").splitlines():
            if line.strip():
                fid, verdict, reason = line.split("\t", 2)
                verdicts[fid] = (verdict, reason)
    rows = conflicts(args.corpora, args.split or ["dev"])[: args.limit]
    print("| # | split | story / fact | about | sides (value, outlets: the source span in its words) | verdict | reason |")
    print("|---|---|---|---|---|---|---|")
    real = judged = 0
    for i, (split, r, f, db) in enumerate(rows, 1):
        sides = "<br>".join(f"{_value(v['value'])} ({', '.join(v['outlets'])}): "
                            + " / ".join(_context(db, s) for s in v["sources"][:2]).replace("|", "\\|")
                            for v in f["values"])
        verdict, reason = verdicts.get(f["id"], ("", ""))
        judged += bool(verdict)
        real += verdict == "real"
        print(f"| {i} | {split} | {r['id']} / {f['id']} | {f['kind']} {f['about']} | {sides} | {verdict} | "
              f"{reason.replace('|', '/')} |")
    if judged:
        print(f"\nconflicts listed {len(rows)}, judged {judged}, real {real}, precision {real / judged:.3f}")


if __name__ == "__main__":
    main()
