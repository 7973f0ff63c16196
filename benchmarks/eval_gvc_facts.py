"""Incident facts on the Gun Violence Corpus through the one path, with the wrong fields listed, and
the event vote's weights tried again on a run already made (train and dev only).

    .venv/bin/python benchmarks/eval_gvc_facts.py [--split train|dev] [--corpus ../shared/corpora/gvc]
        [--errors N] [--tune]

Runs the split through ``crosswire run`` (:func:`crosswire.evaluate.gvc_stories.run_gvc`, cached),
prints the first ``--errors`` wrong incident fields (gold, the story's value, the story), then the
metric lines. ``--tune`` re-builds every story's record from the run's store with other weights of
:mod:`crosswire.crosscheck.event` (the stages before the cross-check do not depend on them) and
prints the accuracy of each setting. The test split is refused here: it is scored once per release
with ``crosswire eval gvc --split test``, never used to choose weights.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.crosscheck import event  # noqa: E402
from crosswire.evaluate.ecbplus import ProductRun  # noqa: E402
from crosswire.evaluate.gvc import FIELDS, read_gvc, score_incidents  # noqa: E402
from crosswire.evaluate.gvc_stories import run_gvc  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "gvc"
GRID = {"DATE_MARGIN": (0.0, 0.3, 0.5, 1.0), "PUBLICATION_DAY_WEIGHT": (0.2, 0.3, 0.5),
        "DATELINE": (0.5, 0.7, 0.85), "SUPPORT": (0.25, 0.5, 1.0)}


def story_inputs(run: ProductRun) -> list[tuple[dict, list, dict]]:
    """(record, articles, slots) of every story, read once from a copy of the run's store: what
    :func:`crosswire.crosscheck.event.story_event` reads."""
    from crosswire.crosscheck import align, pubdates
    from crosswire.crosscheck.story import load_articles
    from crosswire.store import Store

    out = []
    with tempfile.TemporaryDirectory(prefix="tune-") as tmp:
        db = Path(tmp) / "x.db"
        shutil.copyfile(run.folder / "crosswire.db", db)
        with Store(db) as store:
            for r in run.records:
                articles = load_articles(store, r["id"])
                slots = {s.key: s for s in align.build_slots(articles, pubdates.infer(articles))}
                out.append((r, articles, slots))
    return out


def tune(run: ProductRun, docs, incidents) -> None:  # type: ignore[no-untyped-def]
    inputs = story_inputs(run)
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        setting = dict(zip(keys, values))
        event.DATE_MARGIN = setting["DATE_MARGIN"]
        event.PUBLICATION_DAY_WEIGHT = setting["PUBLICATION_DAY_WEIGHT"]
        event.CUE_WEIGHT = {**event.CUE_WEIGHT, "dateline": setting["DATELINE"]}
        event.SUPPORT = setting["SUPPORT"]
        records = [{**r, "event": event.story_event(arts, slots, r["facts"])} for r, arts, slots in inputs]
        m = score_incidents(ProductRun(records, run.article_of, run.rejected, run.stages, run.folder), docs, incidents)
        total = sum(m[f"{f}_accuracy"] for f in FIELDS)
        print(" ".join(f"{k}={v}" for k, v in setting.items()), " ".join(f"{m[f + '_accuracy']:.3f}" for f in FIELDS),
              f"sum={total:.3f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--split", choices=("train", "dev"), default="dev")
    parser.add_argument("--errors", type=int, default=0, help="how many wrong fields to print")
    parser.add_argument("--tune", action="store_true", help="try the event vote's weights on this run")
    args = parser.parse_args(argv)
    if not (args.corpus / "documents.jsonl").is_file():
        print(f"GVC not found at {args.corpus}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    _, incidents = read_gvc(args.corpus)
    run, docs = run_gvc(args.corpus, args.split)
    if args.tune:
        tune(run, docs, incidents)
        return 0
    m = score_incidents(run, docs, incidents)
    for e in m.pop("errors")[: args.errors]:
        print(f"# {e['field']:8} {e['incident_id']:>7} gold {e['gold']!s:24} story {json.dumps(e['predicted'])} "
              f"({e['story']})")
    for name, value in m.items():
        print(f"{args.split}_{name} {value}")
    print(f"{args.split}_seconds {time.perf_counter() - started:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
