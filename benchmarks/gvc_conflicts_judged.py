"""List the conflicts the product shows on GVC stories, for judging by hand against the articles.

    python benchmarks/gvc_conflicts_judged.py ../shared/corpora --split train --split dev [--verdicts FILE]

Runs (or reuses, cached) ``crosswire run`` on each split as ``crosswire eval gvc`` does, and prints
every fact with status ``conflict`` as a Markdown table row: its story and fact id, what it is
about, each side's value with its outlets and the text of its source spans (with the words around
them), in a fixed order (sha256 of the fact id), so that a sample of the first N is reproducible.
With ``--verdicts`` (a tab-separated file: fact id, ``real`` or ``false``, reason), each row gets
its verdict and the precision is printed; with ``--former`` too, every judged conflict that is no
conflict now follows, with its status and why each other value is no side. ``gvc_conflicts_judged.md``
is its output on train and dev with the verdicts read from the articles.
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


def conflicts(corpora: Path, splits: list[str], every: dict | None = None
              ) -> list[tuple[str, dict, dict, sqlite3.Connection]]:
    """Every fact with status ``conflict`` (``every``, when given, gets every fact by its id)."""
    out = []
    for split in splits:
        product, _ = run_gvc(corpora / "gvc", split)
        db = sqlite3.connect(f"file:{product.folder / 'crosswire.db'}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        for r in product.records:
            for f in r.get("facts") or []:
                if every is not None:
                    every[f["id"]] = (split, r, f)
                if f.get("status") == "conflict":
                    out.append((split, r, f, db))
    return sorted(out, key=lambda x: hashlib.sha256(x[2]["id"].encode()).hexdigest())


def former(verdicts: dict[str, tuple[str, str]], shown: set[str], every: dict) -> None:
    """What became of each judged conflict that is no conflict now: its status and why each other
    value is not a side (the reasons of its ``other_readings``)."""
    print("\n| fact | verdict then | now | the other values, and why they are no side |")
    print("|---|---|---|---|")
    kept = {"real": 0, "false": 0}
    gone = {"real": 0, "false": 0}
    for fid, (verdict, _) in sorted(verdicts.items()):
        if fid in shown:
            kept[verdict] = kept.get(verdict, 0) + 1
            continue
        if fid not in every:
            continue  # a conflict of an earlier state of the product, whose story is no longer made
        gone[verdict] = gone.get(verdict, 0) + 1
        _, r, f = every[fid]
        why = "; ".join(f"{_value(o['value'])} ({', '.join(o['outlets'])}): {o['reason']}"
                        for o in f.get("other_readings") or [] if not o.get("agrees")) or "-"
        now = f["status"] + (", mixed" if f.get("mixed") else "")
        print(f"| {r['id']} / {fid} ({f['kind']} {f['about']}) | {verdict} | {now} | {why.replace('|', '/')} |")
    print(f"\njudged conflicts still shown: real {kept.get('real', 0)}, false {kept.get('false', 0)}; "
          f"no longer conflicts: real {gone.get('real', 0)}, false {gone.get('false', 0)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpora", type=Path)
    ap.add_argument("--split", action="append", default=[])
    ap.add_argument("--verdicts", type=Path)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--former", action="store_true",
                    help="also list what became of each judged conflict that is no conflict now")
    args = ap.parse_args()
    verdicts = {}
    if args.verdicts:
        for line in args.verdicts.read_text(encoding="utf-8").splitlines():
            if line.strip():
                fid, verdict, reason = line.split("\t", 2)
                verdicts[fid] = (verdict, reason)
    every: dict = {}
    rows = conflicts(args.corpora, args.split or ["dev"], every)[: args.limit]
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
    if args.former:
        former(verdicts, {f["id"] for _, _, f, _ in rows}, every)


if __name__ == "__main__":
    main()
