"""How right the cross-check's statuses are on the Gun Violence Corpus: the ``corroborated`` and
``conflict`` facts of each incident's story record, scored against the Gun Violence Archive record.

One path: the records are those ``crosswire run`` makes of the split
(:func:`crosswire.evaluate.gvc_stories.run_gvc`), each incident's story picked as
:func:`crosswire.evaluate.gvc.incident_stories` does. Its facts about the incident are the ``count``
facts about ``killed`` and ``injured`` and the ``date`` fact about ``event.start`` (slots
``count:killed``, ``count:injured``, ``date:event.start``), with the status, the competing values
and the independence of sources (outlets, copies counted once) the product gave them. Nothing is
relabelled here.

A value *equals the record* when it is the record's count (a figure, or a range of one number) or
its day. Per field and overall:

* ``corroborated_precision``: among the facts with status ``corroborated``, the share whose value
  equals the record;
* ``conflict_precision``: among the facts with status ``conflict``, the share where the sides
  truly differ after normalisation (counts as numbers, dates as days: "2" and "two", or a day and
  the month holding it, are not a conflict) and at least one competing value differs from the
  record;
* ``conflict_real_precision``: the stricter share of conflicts where the sides differ and one of
  them equals the record (a real dispute between outlets, not two misreadings);
* ``single_source_precision``: among single-source facts, the share whose value equals the record.

Recalls are not given: whether a story holds a conflict is decided by the same grouping of values
that labels it, so a recall read from the record would be 1.0 by construction.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from crosswire.evaluate.ecbplus import GoldDoc, ProductRun
from crosswire.evaluate.gvc import GvcIncident, incident_stories, read_gvc
from crosswire.evaluate.gvc_stories import run_gvc
from crosswire.progress import SILENT, Progress

FIELDS = ("killed", "injured", "date")
SLOTS = {"count:killed": "killed", "count:injured": "injured", "date:event.start": "date"}
RATIOS = ("corroborated_precision", "conflict_precision", "conflict_real_precision", "single_source_precision")


def normalised(field: str, value: Any) -> Any:
    """A fact value as a number (counts: the figure, or the low end of a range) or a day or month
    (``YYYY-MM-DD`` / ``YYYY-MM``; a range of days: its first day); None when it has none."""
    if field == "date":
        return str(value).split("/", 1)[0][:10] if value else None
    if isinstance(value, dict):
        v = value.get("value")
        if v is None and value.get("low") is not None and value.get("low") == value.get("high"):
            v = value["low"]
        if v is None:
            v = value.get("low")
        return int(round(v)) if isinstance(v, int | float) else None
    return None


def equals_record(field: str, value: Any, gold: GvcIncident) -> bool:
    """Whether a fact value is the record's (a count, a range of one number, or the day)."""
    if field == "date":
        return value == gold.date.isoformat()
    if not isinstance(value, dict):
        return False
    want = gold.killed if field == "killed" else gold.injured
    if value.get("value") is not None:
        return value["value"] == want
    return value.get("low") is not None and value.get("low") == value.get("high") == want


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def score_statuses(product: ProductRun, docs: list[GoldDoc], incidents: dict[str, GvcIncident]
                   ) -> dict[str, Any]:
    """The precisions of the module docstring, per field and overall, with the counts behind them
    and every wrong status."""
    counts: dict[str, dict[str, int]] = {f: defaultdict(int) for f in (*FIELDS, "overall")}
    errors = []
    for iid, record in incident_stories(product, docs).items():
        if record is None:
            continue
        gold = incidents[iid]
        for fact in record.get("facts") or []:
            field = SLOTS.get(fact.get("slot") or "")
            if field is None:
                continue
            values = [v["value"] for v in fact.get("values") or [{"value": fact["value"]}]]
            status = fact["status"]
            wrong = False
            for bucket in (counts[field], counts["overall"]):
                if status == "corroborated":
                    ok = equals_record(field, fact["value"], gold)
                    bucket["corroborated"] += 1
                    bucket["corroborated_right"] += ok
                elif status == "conflict":
                    sides = {normalised(field, v) for v in values}
                    differ = len(sides) > 1 and None not in sides
                    some_wrong = any(not equals_record(field, v, gold) for v in values)
                    one_right = any(equals_record(field, v, gold) for v in values)
                    bucket["conflicts"] += 1
                    bucket["conflict_right"] += differ and some_wrong
                    bucket["conflict_real"] += differ and one_right
                    ok = differ and some_wrong
                else:
                    ok = equals_record(field, fact["value"], gold)
                    bucket["single_source"] += 1
                    bucket["single_source_right"] += ok
                wrong = not ok
            if wrong and status != "single_source":
                errors.append({"incident_id": iid, "field": field, "status": status, "story": record["id"],
                               "gold": str(gold.date.isoformat() if field == "date" else getattr(gold, field)),
                               "values": values})
    metrics: dict[str, Any] = {}
    for name, c in counts.items():
        metrics[name] = {
            "corroborated_precision": _ratio(c["corroborated_right"], c["corroborated"]),
            "conflict_precision": _ratio(c["conflict_right"], c["conflicts"]),
            "conflict_real_precision": _ratio(c["conflict_real"], c["conflicts"]),
            "single_source_precision": _ratio(c["single_source_right"], c["single_source"]),
            "corroborated": c["corroborated"], "conflicts": c["conflicts"], "single_source": c["single_source"]}
    for k in RATIOS:
        metrics[k] = metrics["overall"][k]
    metrics["errors"] = errors
    return metrics


def evaluate_gvc_crosscheck(path: Path, split: str = "test", *, cache_dir: Path | None = None,
                            progress: Progress = SILENT,
                            run: tuple[ProductRun, list[GoldDoc]] | None = None) -> dict[str, Any]:
    """The statuses of the story records ``crosswire run`` makes of a GVC split, scored (see the
    module docstring): the four precisions overall, the same and the counts per field (``killed``,
    ``injured``, ``date``, ``overall``: dicts), ``errors``."""
    _, incidents = read_gvc(path)
    product, docs = run or run_gvc(path, split, cache_dir=cache_dir, progress=progress)
    return score_statuses(product, docs, incidents)


def metric_lines(metrics: dict[str, Any]) -> list[str]:
    """``name value`` lines (``killed_conflict_precision 1.0``...), the overall ones last."""
    lines = [f"{f}_{k} {v}" for f in (*FIELDS, "overall") for k, v in metrics[f].items()]
    return lines + [f"{k} {metrics[k]}" for k in RATIOS]
