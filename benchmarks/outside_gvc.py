"""An outside check of ``crosswire eval gvc``: the same figures from the command line alone.

    python benchmarks/outside_gvc.py [--corpora ../shared/corpora] [--split dev|test|train] [--python PY]

Imports nothing from crosswire. It writes the split's GVC documents as news-please JSON Lines
(``title``, ``maintext``, ``url`` = the address the web.archive.org snapshot was taken of,
``date_publish`` = the ``dct``; publication order), runs ``python -m crosswire run DIR --db X -q``
and ``python -m crosswire export --what stories --format jsonl - --db X`` in subprocesses (in an
empty folder, without ``CROSSWIRE_*`` variables, so only the defaults apply), and scores the story
records with its own small scorer: grouping B-cubed P/R/F1 (a document maps to the article with its
URL, or to the article of an earlier document with the same title and text; one that became no
article stands alone), and per incident, from the story holding most of its articles (ties to the
story of its earliest article), the event's day, town or county, state, killed and injured. Then it
runs ``python -m crosswire eval gvc CORPORA --split S -q`` and prints both figures side by side;
the exit status is 1 when any pair differs by more than 0.01.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/", re.I)
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
SHORT = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt"}
COMPARED = ("bcubed_precision", "bcubed_recall", "bcubed_f1", "date_accuracy", "city_accuracy",
            "state_accuracy", "killed_accuracy", "injured_accuracy")


def fold(name: str) -> str:
    """Case, accents, dots and hyphens folded; Saint/St., Fort/Ft. alike."""
    s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    s = re.sub(r"[\s\-/]+", " ", re.sub(r"[.'`\"]", "", s)).strip()
    s = s.removeprefix("the ")
    return " ".join(SHORT.get(w, w) for w in s.split())


def city_names(gold: str) -> set[str]:
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", gold.strip())
    if not m:
        return {fold(gold)}
    a, b = m.group(1).strip(), m.group(2).strip()
    if b.lower() == "county":
        return {fold(f"{a} {k}") for k in ("County", "Parish", "Borough")}
    return {fold(a), fold(b)}


def read(corpus: Path, split: str) -> tuple[list[dict], dict[str, dict]]:
    docs = [json.loads(x) for x in (corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    docs = sorted((d for d in docs if d["split"] == split), key=lambda d: (d.get("dct") or "", d["doc_id"]))
    incidents = {}
    for x in (corpus / "incidents.jsonl").read_text(encoding="utf-8").splitlines():
        if x.strip():
            r = json.loads(x)
            incidents[str(r["incident_uri"])] = r
    return docs, incidents


def crosswire(python: str, args: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSWIRE_")}
    done = subprocess.run([python, "-m", "crosswire", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"crosswire {' '.join(args)} failed ({done.returncode})")
    return done.stdout


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    g, p = defaultdict(set), defaultdict(set)
    for d in gold:
        g[gold[d]].add(d)
        p[pred[d]].add(d)
    prec = sum(len(g[gold[d]] & p[pred[d]]) / len(p[pred[d]]) for d in gold) / len(gold)
    rec = sum(len(g[gold[d]] & p[pred[d]]) / len(g[gold[d]]) for d in gold) / len(gold)
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def outside(corpus: Path, split: str, python: str) -> dict[str, float]:
    docs, incidents = read(corpus, split)
    with tempfile.TemporaryDirectory(prefix="outside-gvc-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        with (folder / "gvc.jsonl").open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({"title": d.get("title") or "", "maintext": d.get("text") or "",
                                    "url": ARCHIVE.sub("", d.get("uri") or ""), "date_publish": d.get("dct")},
                                   ensure_ascii=False) + "\n")
        db = str(Path(tmp) / "x.db")
        crosswire(python, ["run", str(folder), "--db", db, "-q"], Path(tmp))
        out = crosswire(python, ["export", "--what", "stories", "--format", "jsonl", "-", "--db", db], Path(tmp))
    stories = [json.loads(x) for x in out.splitlines() if x.strip()]
    story_of_url = {a.get("url"): s["id"] for s in stories for a in s["articles"]}
    pred: dict[str, str] = {}
    seen: dict[tuple, str] = {}
    for d in docs:
        same = (d.get("title") or "", d.get("text") or "")
        sid = story_of_url.get(ARCHIVE.sub("", d.get("uri") or "")) or seen.get(same)
        if sid:
            seen.setdefault(same, sid)
        pred[d["doc_id"]] = sid or f"alone:{d['doc_id']}"
    gold = {d["doc_id"]: str(d["incident_id"]) for d in docs}
    p, r, f = bcubed(gold, pred)
    m = {"bcubed_precision": p, "bcubed_recall": r, "bcubed_f1": f}
    by_id = {s["id"]: s for s in stories}
    per_incident: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        per_incident[str(d["incident_id"])].append(pred[d["doc_id"]])
    right = defaultdict(int)
    for iid, sids in per_incident.items():
        placed = [s for s in sids if s in by_id]
        if not placed:
            continue
        top = max(placed.count(s) for s in placed)
        ev = by_id[next(s for s in placed if placed.count(s) == top)].get("event") or {}
        inc = incidents[iid]
        day = datetime.strptime(inc["date"], "%B %d, %Y").date().isoformat()
        right["date"] += ((ev.get("when") or {}).get("start") or "")[:10] == day
        where = (ev.get("where") or [{}])[0]
        right["city"] += where.get("feature") in ("city", "admin2") and \
            fold(where.get("name") or "") in city_names(inc["city_or_county"])
        right["state"] += where.get("country") == "US" and STATES.get(where.get("admin1") or "") == inc["state"]
        for k, g in (("killed", "num_killed"), ("injured", "num_injured")):
            right[k] += isinstance(ev.get(k), dict) and ev[k].get("value") == int(inc[g])
    for k in ("date", "city", "state", "killed", "injured"):
        m[f"{k}_accuracy"] = right[k] / len(per_incident)
    return m


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--split", choices=("train", "dev", "test"), default="dev")
    parser.add_argument("--python", default=sys.executable, help="the Python that has crosswire installed")
    args = parser.parse_args(argv)
    if os.sep in args.python:  # a path given relative to here still names it from the run's own folder
        args.python = os.path.abspath(args.python)  # (not resolve(): a venv's python is a symlink)
    mine = outside(args.corpora / "gvc", args.split, args.python)
    lines = crosswire(args.python, ["eval", "gvc", str(args.corpora.resolve()), "--split", args.split, "-q"], ROOT)
    theirs = {}
    for line in lines.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                theirs[parts[0]] = float(parts[1])
            except ValueError:
                continue
    worst = 0.0
    print(f"# {args.split}: metric outside eval difference")
    for k in COMPARED:
        diff = abs(mine[k] - theirs.get(k, float("nan")))
        worst = max(worst, diff) if diff == diff else float("inf")
        print(f"{args.split}_{k} {mine[k]:.3f} {theirs.get(k, float('nan')):.3f} {diff:.3f}")
    print(f"{args.split}_max_difference {worst:.3f}")
    return 0 if worst <= 0.01 else 1


if __name__ == "__main__":
    raise SystemExit(main())
