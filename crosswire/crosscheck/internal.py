"""One article against itself: a person given two titles, two counts of one thing, dates that
cannot both hold.

Stage ``internal.v1``. Needs the story's :class:`~crosswire.crosscheck.pubdates.StoryArticle`
list and their :class:`~crosswire.crosscheck.pubdates.Dating`; gives checks shaped like the show
JSON's (``kind: "internal"``), each with the article, the spans compared and the stored facts.

* **titles**: every title an article gives one person (entity titles and quote speakers'
  titles), compared by :func:`crosswire.crosscheck.titles.compare_titles`: two offices that
  differ ("Hungarian Prime Minister" and "Hungary's President") are inconsistent; two facets of
  one person ("Major General" and "chief of ... special operations command") consistent.
* **counts**: casualty figures of the main event that each state a toll of the same people (a
  number and "people", "victims", "dead"..., or the same noun: "12 sailors" and "15 sailors"; a
  part of the toll such as "killed his wife", "five others" or "two children" beside "three bodies"
  is no second figure), and counts of one noun whose sentences share
  words (``read_counts.COUNT_CONTEXT_MIN``), whose intervals do not overlap ("15 injured" in the lead,
  "12 injured" below). Only the inconsistent ones are reported: repeating a figure is no news.
* **dates**: the article's statements of its main event's day (``event.when`` facts) that do
  not overlap, and an end date ("until July 19") before that day.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

from crosswire.crosscheck.read_counts import COUNT_CONTEXT_MIN
from crosswire.crosscheck.read_dates import show_dates
from crosswire.crosscheck.read_names import person_titles
from crosswire.crosscheck.reconcile import merge_dates, merge_interval
from crosswire.crosscheck.sentences import sentence
from crosswire.crosscheck.slot import keywords, span
from crosswire.crosscheck.titles import compare_titles
from crosswire.crosscheck.pubdates import Dating, StoryArticle, resolve

STAGE = "internal.v1"


def _check(verdict: str, check: str, a: StoryArticle, spans: list[dict], facts: list[str], detail: str) -> dict:
    return {"kind": "internal", "check": check, "verdict": verdict, "article": a.id,
            "facts": list(dict.fromkeys(facts)), "spans": spans, "detail": detail}


def title_checks(a: StoryArticle) -> list[dict[str, Any]]:
    """Each person the article gives two or more titles: consistent or not."""
    by_person: dict[str, list] = {}
    for key, name, src, fids, title in person_titles(a):
        by_person.setdefault(key, []).append((name, src, fids, title))
    out = []
    for items in by_person.values():
        if len(items) < 2:
            continue
        clashes = [(x, y) for x, y in combinations(items, 2) if compare_titles(x[3], y[3]) == "conflict"]
        name = max((i[0] for i in items), key=len)
        titles = "', '".join(i[3] for i in items)
        if clashes:
            x, y = clashes[0]
            out.append(_check("inconsistent", "titles", a, [x[1], y[1]], x[2] + y[2],
                              f"{name} is called '{x[3]}' and '{y[3]}': two different offices"))
        else:
            out.append(_check("consistent", "titles", a, [i[1] for i in items], sum((i[2] for i in items), []),
                              f"{name} is called '{titles}': one person, titles that fit together"))
    return out


def _interval(f: dict) -> tuple:
    v = f.get("value") or {}
    lo, hi = v.get("low"), v.get("high")
    if lo is None and hi is None:
        lo = hi = v.get("value")
    return lo, hi


def _shown(f: dict) -> str:
    return f"'{f['text']}'"


def count_checks(a: StoryArticle) -> list[dict[str, Any]]:
    """Two figures for one thing that cannot both hold."""
    out = []
    groups: dict[tuple, list[dict]] = {}
    for f in a.facts:
        if f["kind"] == "casualties" and f.get("role") == "event":
            groups.setdefault(("casualties", f["about"]), []).append(f)
        elif f["kind"] == "count":
            groups.setdefault(("count", f["about"]), []).append(f)
    for (kind, about), fs in groups.items():
        seen = set()
        for x, y in combinations(fs, 2):
            ix, iy = _interval(x), _interval(y)
            if ix[0] is None and ix[1] is None or iy[0] is None and iy[1] is None:
                continue
            if merge_interval(ix, iy) is not None:
                continue
            if kind == "casualties" and (_toll(x) is None or _toll(x) != _toll(y)):
                continue  # "killed his wife" and "three found dead": a part of the toll, not another toll
            if kind == "count":
                kx, ky = _context(a, x, about), _context(a, y, about)
                if not kx or not ky or len(kx & ky) / len(kx | ky) < COUNT_CONTEXT_MIN:
                    continue
            pair = (ix, iy)
            if pair in seen:
                continue
            seen.add(pair)
            what = f"people {about}" if kind == "casualties" else f"'{about}'"
            out.append(_check("inconsistent", "counts", a, [span(a.id, x), span(a.id, y)], [x["id"], y["id"]],
                              f"two counts of {what} in one article: {_shown(x)} and {_shown(y)}"))
    return out


_TOLL = re.compile(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?)\s+"
                   r"(?:\w+\s+)?(\w+)", re.I)
_TOTAL_NOUNS = frozenset("people persons victims casualties dead killed wounded injured hurt deaths bodies".split())
_PART = re.compile(r"\b(?:also|other|others|another|else|more|additional|including|of\s+them|both|no\s+one|"
                   r"nobody|none|not)\b", re.I)


def _toll(f: dict) -> str | None:
    """What a casualty mention counts when it states a toll of two or more ("four people were shot":
    ``people``; "Twelve sailors were hurt": ``sailor``); None for a part of the toll ("killed his
    wife", "five others were injured", "two children found dead" beside "three bodies" is told
    apart by the noun) or a negation ("no one was hurt")."""
    text = f.get("text") or ""
    m = _TOLL.search(text)
    if m is None or _PART.search(text):
        return None
    noun = m.group(2).lower()
    if noun in _TOTAL_NOUNS:
        return "toll"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _context(a: StoryArticle, f: dict, about: str) -> set[str]:
    s, e = sentence(a.text, f["start"], f["end"])
    return keywords(a.text[s:f["start"]] + " " + a.text[f["end"]:e]) - keywords(about)


def date_checks(a: StoryArticle, dating: Dating, end_facts: list[tuple[dict, tuple]]) -> list[dict[str, Any]]:
    """The article's days for its main event, against each other and against its end date."""
    out = []
    whens = []
    for f in a.facts:
        if f["kind"] == "date" and f["about"] == "event.when":
            r = resolve(f, dating)
            if r is not None:
                whens.append((f, r))
    if len(whens) >= 2:
        bad = [(x, y) for x, y in combinations(whens, 2) if merge_dates(x[1], y[1]) is None]
        if bad:
            (fx, rx), (fy, ry) = bad[0]
            out.append(_check("inconsistent", "dates", a, [span(a.id, fx), span(a.id, fy)], [fx["id"], fy["id"]],
                              f"the event is dated {show_dates(rx)} ({_shown(fx)}) and {show_dates(ry)} "
                              f"({_shown(fy)}) in one article"))
        elif len({r for _, r in whens}) > 1 or len({f['text'] for f, _ in whens}) > 1:
            out.append(_check("consistent", "dates", a, [span(a.id, f) for f, _ in whens], [f["id"] for f, _ in whens],
                              "the article's dates for its event agree: " + ", ".join(_shown(f) for f, _ in whens)))
    for fe, re_ in end_facts:
        for fw, rw in whens[:1]:
            if re_[1] < rw[0]:
                out.append(_check("inconsistent", "dates", a, [span(a.id, fw), span(a.id, fe)],
                                  [fw["id"], fe["id"]], f"the event ends {show_dates(re_)} ({_shown(fe)}) before "
                                  f"it starts {show_dates(rw)} ({_shown(fw)})"))
    return out


def internal_checks(articles: list[StoryArticle], datings: dict[str, Dating],
                    end_facts: dict[str, list[tuple[dict, tuple]]] | None = None) -> list[dict[str, Any]]:
    """Every internal check of every article of a story, in article order (copies skipped: their
    text is their original's)."""
    out = []
    for a in articles:
        if a.duplicate_of or a.role == "copy":
            continue
        out += title_checks(a)
        out += count_checks(a)
        out += date_checks(a, datings[a.id], (end_facts or {}).get(a.id, []))
    return out
