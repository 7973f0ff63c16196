"""Claims checked against reference data, offline: weekdays, anniversaries, years elapsed, distances.

Stage ``reference.v2``. :func:`check_claims` takes one story's facts (dicts as stored: ``id,
article_id, kind, about, value, text, start, end, detail``), each article's publication date, and
optionally the articles' texts, and returns one check per claim it could read:

``{"kind": "reference", "check": "weekday"|"anniversary"|"years_ago"|"distance"|"border_distance"|"member_count",
"verdict": "consistent"|"inconsistent"|"unverifiable", "facts": [ids], "article": id, "span":
{"start", "end", "text"}, "claimed": ..., "computed": ..., "tolerance": ..., "detail": str}``

- weekday: "Friday, March 14, 2025", "on Tuesday, March 12" (the year nearest the publication date),
  read from the text (or, without it, from the date facts' own text). Exact.
- years_ago: "nearly two years ago", "more than two years since the invasion", "18 months into the
  war", against a date written in full (not computed from the publication date) that the story
  gives: first one in the same sentence, else the date whose sentence shares an event word (a
  lowercase content word, compared on its first four letters: "invasion" ~ "invaded") with the
  words around the claim. Tolerances: :mod:`crosswire.crosscheck.calendar`.
- anniversary: "the 76th anniversary", of an organisation (founding date from
  :mod:`crosswire.crosscheck.anniversaries`, or a founding date the story gives; "its founding" is
  the founding of the organisation named before it), of a country joining one ("the 26th
  anniversary of Poland joining NATO": the accession date in :mod:`crosswire.crosscheck.data`), or
  of an event the story dates ("the second anniversary of the invasion").
- member_count: "NATO's 32 member states", "the 31 members of NATO": the members the package's
  table lists on the article's date. Exact.
- distance / border_distance: each ``distance`` fact measured "from" something
  (``detail.places``), from the place named just before it in the same sentence (else, when the
  sentence names no other city, the article's event place, else the story's: said so in the
  detail); "the border with Russia" said of a place in Poland is the Poland-Russia border, as is
  "Poland's border with Russia's Kaliningrad region"; "NATO territory" is the members on the
  article's date; and "near the Polish border" (within 50 km).
  Geodesic distances between GeoNames coordinates, and to Natural Earth 1:10m shapes:
  :mod:`crosswire.crosscheck.geography`, which also defines the tolerance.

An article's date is its publication day; ``published`` may also give an ISO interval of days
("2024-07-08/2024-07-14"): a claim counted to it gets a verdict only when both ends agree. An
article with neither is counted to the days the story's other reports were published (reports
of one event are read as written in the same days; the detail says so).

"unverifiable" says what is missing (no publication date, no reference data, no place to measure
from): nothing recognised is dropped silently. Without texts only the weekday and distance checks
can run (anniversaries and elapsed time need the sentence).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from crosswire.crosscheck import anniversaries as ann
from crosswire.crosscheck import calendar as cal
from crosswire.crosscheck import data
from crosswire.crosscheck import geography as geo
from crosswire.crosscheck.sentences import sentence as _sentence

__all__ = ["STAGE", "check_claims", "weekday_check", "elapsed_check", "anniversary_check",
           "border_distance_km", "distance_km"]

STAGE = "reference.v2"
weekday_check = cal.weekday_check
elapsed_check = cal.elapsed_check
anniversary_check = ann.anniversary_check
border_distance_km = geo.border_distance_km
distance_km = geo.distance_km
NEAR_KM = 50.0
# what may stand between an elapsed-time phrase and the date that explains it: ", on", " (in", " - "
_BESIDE = re.compile(r"[\s,;:(\[—–-]*(?:on|in|since|from|back\s+in|that\s+is)?[\s,(]*", re.I)


# ---------------------------------------------------------------- text helpers


_STOP = set("""a an the of in on at to for from by with and or but as is was were are be been being has have had
do did does this that these those it its their his her they he she we you which who whom whose when where while
since ago into about nearly almost more than over under less some around roughly just year years month months day
days week weeks decade decades time times said says say told according after before last first new also not no
then there here what how all any both each other such only own same so too very can will would could should may
might must began begin begun beginning started start starting launched launch took take made make came come went
full scale latest earlier later early late since during until through against between among across
police officer officers official officials authorities authority government president minister ministry spokesman
spokeswoman spokesperson statement report reports reported news agency country city town village region area state
world home house family people members member group leaders leader week today yesterday""".split())
_NUMBER_WORDS = set(cal.UNITS) | set(cal.TENS) | set(cal._ORD_UNITS) | set(cal._ORD_TENS)
_CALENDAR_WORDS = {w.lower() for w in cal.WEEKDAYS} | set(cal.MONTHS)


def _keywords(text: str) -> dict[str, float]:
    """Content words of a phrase, by their first four letters: 1.0 for lowercase words, 0.5 for names."""
    out: dict[str, float] = {}
    for m in re.finditer(r"[A-Za-z][A-Za-z'’-]+", text):
        w = re.sub(r"(?:'s|’s)$", "", m.group(0))
        low = w.lower()
        if len(low) < 3 or low in _STOP or low in _NUMBER_WORDS or low in _CALENDAR_WORDS:
            continue
        key = low[:4]
        out[key] = max(out.get(key, 0.0), 0.5 if w[0].isupper() else 1.0)
    return out


def _overlapping(facts: Iterable[dict], start: int, end: int, kinds: tuple[str, ...] | None = None) -> list[dict]:
    return [f for f in facts if f["start"] < end and start < f["end"] and (kinds is None or f["kind"] in kinds)]


def _pub(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and "/" not in value else None
    except ValueError:
        return None


def _pub_range(value: str | None) -> tuple[date, date] | None:
    """An ISO 8601 interval of days, "2024-07-08/2024-07-14", else None."""
    if not value or "/" not in value:
        return None
    try:
        lo, hi = (date.fromisoformat(x.strip()[:10]) for x in value.split("/", 1))
    except ValueError:
        return None
    return (lo, hi) if lo <= hi else None


def _combine(verdicts: list[str]) -> str:
    """One verdict for a claim read at both ends of an interval of article dates."""
    return verdicts[0] if len(set(verdicts)) == 1 else "unverifiable"


def _check(check: str, verdict: str, facts: list[str], article: str, span: tuple[int, int, str],
           claimed: Any, computed: Any, tolerance: Any, detail: str) -> dict[str, Any]:
    return {"kind": "reference", "check": check, "verdict": verdict, "facts": list(dict.fromkeys(facts)),
            "article": article, "span": {"start": span[0], "end": span[1], "text": span[2]},
            "claimed": claimed, "computed": computed, "tolerance": tolerance, "detail": detail}


class _Story:
    """The facts of one story grouped by article, with each article's text when given."""

    def __init__(self, facts: list[dict], published: dict[str, str | None], texts: dict[str, str]):
        self.by_article: dict[str, list[dict]] = {}
        for f in facts:
            self.by_article.setdefault(f["article_id"], []).append(f)
        self.published = {a: _pub(p) for a, p in published.items()}
        self.ranges = {a: r for a, p in published.items() if (r := _pub_range(p))}
        self.texts = texts

    def dated(self, aid: str) -> tuple[date, date, str] | None:
        """(first, last, how) of the day an article speaks from: its publication day; else the interval
        it is known to lie in; else the days the story's other reports were published (reports of one
        event are read as written in the same days, and the detail says so); None when nothing dates it."""
        pub = self.published.get(aid)
        if pub is not None:
            return pub, pub, ""
        if aid in self.ranges:
            lo, hi = self.ranges[aid]
            return lo, hi, f"the publication date is only known to lie between {lo.isoformat()} and {hi.isoformat()}"
        others = [d for a, d in self.published.items() if a != aid and d is not None]
        others += [d for a, r in self.ranges.items() if a != aid for d in r]
        if not others:
            return None
        lo, hi = min(others), max(others)
        days = lo.isoformat() if lo == hi else f"{lo.isoformat()} to {hi.isoformat()}"
        return lo, hi, (f"this article's publication date is unknown; counted to {days}, when the story's "
                        f"other reports were published")

    def segments(self, aid: str, kinds: tuple[str, ...]) -> list[tuple[int, str]]:
        """What to read for an article: its whole text, else the text of its facts of ``kinds``."""
        if aid in self.texts:
            return [(0, self.texts[aid])]
        return [(f["start"], f["text"]) for f in self.by_article.get(aid, []) if f["kind"] in kinds and f.get("text")]

    def sentence_text(self, aid: str, start: int, end: int) -> tuple[int, int, str] | None:
        text = self.texts.get(aid)
        if text is None:
            return None
        s, e = _sentence(text, start, end)
        return s, e, text[s:e]

    def dates(self) -> list[tuple[dict, tuple[date, date, str]]]:
        """Date facts written in full (not computed from the publication date), with their interval."""
        out = []
        for facts in self.by_article.values():
            for f in facts:
                v = f.get("value") if isinstance(f.get("value"), dict) else {}
                if f["kind"] != "date" or v.get("anchored"):
                    continue
                when = cal.parse_when(v.get("value"))
                if when is not None:
                    out.append((f, when))
        return out

    def anchor(self, aid: str, start: int, end: int, words: str, before: date, min_age_days: int = 0,
               same_sentence: bool = False) -> tuple[dict, tuple[date, date, str], str] | None:
        """The date the story gives for what ``words`` describe: (fact, interval, how found). A date
        written beside the claim comes first; then, with ``same_sentence``, any date of its sentence
        (at least ``min_age_days`` old); then the date whose sentence shares an event word."""
        sent = self.sentence_text(aid, start, end)
        if sent is None:
            return None
        candidates = [(f, w) for f, w in self.dates()
                      if w[0] <= before and (before - w[1]).days >= min_age_days
                      and not (f["article_id"] == aid and f["start"] < end and start < f["end"])]
        same = [(f, w) for f, w in candidates if f["article_id"] == aid and sent[0] <= f["start"] < sent[1]]
        text = self.texts[aid]
        beside = [(f, w) for f, w in same if _BESIDE.fullmatch(text[end:f["start"]] if f["start"] >= end
                                                               else text[f["end"]:start] if f["end"] <= start else "x")]
        if beside:  # "nearly two years ago, on February 24, 2022"
            f, w = min(beside, key=lambda x: abs(x[0]["start"] - start))
            return f, w, "written beside it"
        if same and same_sentence:
            f, w = min(same, key=lambda x: abs(x[0]["start"] - start))
            return f, w, "in the same sentence"
        # another date of the same sentence is about something else ("said on July 9, 2024, that ...")
        candidates = [x for x in candidates if not any(x[0] is y[0] for y in same)]
        want = _keywords(words)
        if not any(v == 1.0 for v in want.values()):
            return None
        scored = []
        for f, w in candidates:
            s = self.sentence_text(f["article_id"], f["start"], f["end"])
            if s is None:
                continue
            have = _keywords(s[2])
            shared = [k for k in want if k in have]
            if not any(want[k] == 1.0 and have[k] == 1.0 for k in shared):
                continue
            score = sum(min(want[k], have[k]) for k in shared)
            key = (score, f["article_id"] == aid, {"day": 2, "month": 1}.get(w[2], 0))
            words_shared = sorted({m.group(0) for m in re.finditer(r"[A-Za-z][A-Za-z'’-]+", s[2])
                                   if m.group(0).lower()[:4] in shared and want[m.group(0).lower()[:4]] == 1.0
                                   and m.group(0).lower() not in _STOP})
            scored.append((key, f, w, f"its sentence shares '{', '.join(words_shared)}'"))
        if not scored:
            return None
        top = max(x[0] for x in scored)
        best = [x for x in scored if x[0] == top]
        if len({x[2][:2] for x in best}) > 1:
            return None  # equally good dates that differ: the story does not say which one is meant
        _, f, w, how = best[0]
        return f, w, how


# ---------------------------------------------------------------- checks
def check_claims(facts: list[dict], published: dict[str, str | None],
                 texts: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every reference check of one story's claims (see the module docstring)."""
    story = _Story(facts, published, texts or {})
    out: list[dict[str, Any]] = []
    for aid in sorted(story.by_article.keys() | story.texts.keys()):
        out += _weekdays(story, aid)
        out += _elapsed(story, aid)
        out += _anniversaries(story, aid)
        out += _distances(story, aid)
        out += _near_borders(story, aid)
        out += _member_counts(story, aid)
    out.sort(key=lambda c: (c["article"], c["span"]["start"], c["check"]))
    return _once(out)


def _once(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One check per claim an article makes: the same claim with the same result said again in
    one article (a standfirst repeating the lead) is the first check, its other spans in
    ``also_at`` and its facts joined."""
    kept: dict[tuple, dict[str, Any]] = {}
    for c in checks:
        key = (c["article"], c["check"], c["verdict"], json.dumps(c["claimed"], sort_keys=True, default=str),
               json.dumps(c["computed"], sort_keys=True, default=str))
        first = kept.get(key)
        if first is None:
            kept[key] = c
            continue
        first.setdefault("also_at", []).append(c["span"])
        first["facts"] = list(dict.fromkeys(first["facts"] + c["facts"]))
    return list(kept.values())


def _weekdays(story: _Story, aid: str) -> list[dict]:
    out, seen = [], set()
    pub = story.published.get(aid)
    facts = story.by_article.get(aid, [])
    for offset, text in story.segments(aid, ("date",)):
        for w in cal.find_weekday_dates(text):
            s, e = offset + w.start, offset + w.end
            if s in seen:
                continue
            seen.add(s)
            ids = [f["id"] for f in _overlapping(facts, s, e, ("date",))]
            span = (s, e, w.text)
            year = w.year
            note = ""
            if year is None:
                if pub is None:
                    out.append(_check("weekday", "unverifiable", ids, aid, span, {"weekday": w.weekday},
                                      None, "exact", f"'{w.text}' has no year and the publication date is unknown."))
                    continue
                options = []
                for y in (pub.year - 1, pub.year, pub.year + 1):
                    try:
                        options.append(date(y, w.month, w.day))
                    except ValueError:
                        pass
                if not options:
                    out.append(_check("weekday", "inconsistent", ids, aid, span, {"weekday": w.weekday},
                                      None, "exact", f"'{w.text}': there is no such date."))
                    continue
                day = min(options, key=lambda d: abs((d - pub).days))
                note = f" (year {day.year}: the one nearest the publication date {pub.isoformat()})"
            else:
                try:
                    day = date(year, w.month, w.day)
                except ValueError:
                    out.append(_check("weekday", "inconsistent", ids, aid, span, {"weekday": w.weekday},
                                      None, "exact", f"'{w.text}': there is no such date."))
                    continue
            r = cal.weekday_check(day, w.weekday)
            detail = r["detail"][:-1] + note + "." if note else r["detail"]
            out.append(_check("weekday", r["verdict"], ids, aid, span, r["claimed"], r["computed"], r["tolerance"],
                              detail))
    return out


def _clause_words(text: str, sent: tuple[int, int, str], start: int, end: int) -> str:
    """The words around a claim that say what it is about: up to 12 words before it in its sentence,
    and 8 after when those have no event word."""
    s0 = sent[0]
    before = " ".join(sent[2][: start - s0].split()[-12:])
    if any(v == 1.0 for v in _keywords(before).values()):
        return before
    return before + " " + " ".join(text[end:sent[1]].split()[:8])


def _elapsed(story: _Story, aid: str) -> list[dict]:
    text = story.texts.get(aid)
    if text is None:
        return []
    out = []
    dated = story.dated(aid)
    facts = story.by_article.get(aid, [])
    for e in cal.find_elapsed(text):
        ids = [f["id"] for f in _overlapping(facts, e.start, e.end, ("date", "duration"))]
        span = (e.start, e.end, e.text)
        claimed = {"amount": e.amount, "unit": e.unit, "qualifier": e.qualifier}
        low, high, rule_text = cal.elapsed_bounds(e.amount, e.qualifier)
        rule = {"low": round(low, 3), "high": None if high is None else round(high, 3), "rule": rule_text}
        if dated is None:
            out.append(_check("years_ago", "unverifiable", ids, aid, span, claimed, None, rule,
                              f"'{e.text}' counts back from the publication date, which is unknown."))
            continue
        lo, pub, how_dated = dated
        sent = story.sentence_text(aid, e.start, e.end)
        assert sent is not None
        words = e.what if e.what else _clause_words(text, sent, e.start, e.end)
        found = story.anchor(aid, e.start, e.end, words, pub)
        if found is None:
            out.append(_check("years_ago", "unverifiable", ids, aid, span, claimed, None, rule,
                              f"The story gives no date for what '{e.text}' refers to ('{words.strip()}')."))
            continue
        f, when, how = found
        ends = [cal.elapsed_check(e.amount, e.qualifier, e.unit, f["value"]["value"], d, text=e.text)
                for d in dict.fromkeys((lo, pub))]
        r = ends[-1]
        where = "this article" if f["article_id"] == aid else f"article {f['article_id']}"
        parts = [x["detail"][:-1] for x in ends]
        parts[1:] = [p[0].lower() + p[1:] for p in parts[1:]]
        detail = "; ".join(parts) + f": the date is '{f['text']}' ({where}, {how})"
        detail += f"; {how_dated}." if how_dated else "."
        out.append(_check("years_ago", _combine([x["verdict"] for x in ends]), ids + [f["id"]], aid, span, claimed,
                          r["computed"], r["tolerance"], detail))
    return out


_FOUNDING = re.compile(r"\b(?:found|form|creat|establish|sign|born|birth|launch|set\s+up|introduc)", re.I)
_ANNIV_TAIL = re.compile(r"\s*(?:summit|celebrations?|commemorations?|ceremon(?:y|ies)|meeting|events?|year)?\s*"
                         r"of\s+(?P<what>[^,;:.!?()\n]{2,80})", re.I)
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "of", "to", "for", "at", "on",
                "in", "marked", "marks", "mark", "celebrated", "celebrates", "celebrate"}


def _possessive(before: str) -> str | None:
    """The owner in "NATO's 75th anniversary", "the United Nations' 80th": up to four words."""
    b = re.sub(r"\s*(?:(?:next|last|this)\s+year(?:'s|’s)?)\s*$", "", before.rstrip()).rstrip()
    m = re.search(r"(?:'s|’s|s'|s’)$", b)
    if not m:
        return None
    words = b[: m.start() + (1 if b[m.start()] == "s" else 0)].split()
    out: list[str] = []
    for w in reversed(words[-4:]):
        if w.lower() in _DETERMINERS or not re.fullmatch(r"[\w.’'-]+", w):
            break
        out.insert(0, w)
    return " ".join(out) or None


_JOINING = re.compile(r"^(?:the\s+)?(?P<who>[A-Z][\w.'’ -]*?)(?:'s|’s)?\s+(?:joining|having\s+joined|entry\s+into|"
                      r"accession\s+to|admission\s+to|becoming\s+a\s+member\s+of|membership\s+(?:of|in))\s+"
                      r"(?:the\s+)?(?P<org>.+)$")
_ACCESSION_OF = re.compile(r"^(?:the\s+)?(?:accession|admission|entry)\s+of\s+(?P<who>[A-Z][\w.'’ -]*?)\s+"
                           r"(?:to|into)\s+(?:the\s+)?(?P<org>.+)$")
_PRONOUN = re.compile(r"^(?:its|their)\s", re.I)


def _membership(what: str) -> tuple[str, str, str] | None:
    """(organisation key, member code, member as written) of "Poland joining NATO", "Finland's
    accession to NATO", "the accession of Sweden to NATO"; None for anything else."""
    m = _JOINING.match(what.strip()) or _ACCESSION_OF.match(what.strip())
    if not m:
        return None
    org = ann.organisation_key(m["org"])
    code = geo.country_code(m["who"])
    return (org, code, m["who"]) if org and code else None


def _anniversaries(story: _Story, aid: str) -> list[dict]:
    text = story.texts.get(aid)
    if text is None:
        return []
    out = []
    dated = story.dated(aid)
    facts = story.by_article.get(aid, [])
    for a in cal.find_anniversaries(text):
        ids = [f["id"] for f in _overlapping(facts, a.start, a.end)]
        span = (a.start, a.end, a.text)
        sent = story.sentence_text(aid, a.start, a.end)
        assert sent is not None
        tail = _ANNIV_TAIL.match(text, a.end, sent[1])
        poss = _possessive(text[sent[0]:a.start])
        what = (tail["what"].strip() if tail else None) or poss
        around = text[max(sent[0], a.start - 40):min(sent[1], a.end + 40)].lower()
        shift = 1 if "next year" in around else -1 if "last year" in around else 0
        member = _membership(what) if what else None
        orgs = ann.organisations_in(what) if what and not member else []
        if not orgs and not member:
            in_sent = ann.organisations_in(sent[2])
            before = [o for o in in_sent if sent[0] + o[2] <= a.start]
            if what and _PRONOUN.match(what):  # "NATO marks the 80th anniversary of its founding"
                orgs = sorted(before, key=lambda o: a.start - (sent[0] + o[2]))[:1]
            elif not what:
                orgs = sorted(in_sent, key=lambda o: abs(sent[0] + o[1] - a.start))[:1]
        of = ann.ORGANISATIONS[orgs[0][0]][0] if orgs else what
        claimed = {"ordinal": a.n, "of": of}
        if dated is None:
            out.append(_check("anniversary", "unverifiable", ids, aid, span, claimed, None, None,
                              f"'{a.text}' is counted to the publication date, which is unknown."))
            continue
        lo, pub, how_dated = dated
        days = list(dict.fromkeys((lo, pub)))

        def add(results: list[dict], extra_ids: list[str], fix=lambda d: d) -> None:  # type: ignore[no-untyped-def]
            r = results[-1]
            same = len({json.dumps(x["computed"], sort_keys=True, default=str) for x in results}) == 1
            if len(results) == 2 and same:  # one sentence for an interval of days
                days_text = f"{lo.isoformat()} to {pub.isoformat()}"
                detail = fix(results[0]["detail"]).replace(f"article is of {lo.isoformat()}",
                                                           f"article is of {days_text}")
                detail = detail.replace(f"an article of {lo.isoformat()}", f"an article of {days_text}")
            else:
                detail = " ".join(fix(x["detail"]) for x in results)
            if how_dated:
                detail = detail[:-1] + f" ({how_dated})."
            out.append(_check("anniversary", _combine([x["verdict"] for x in results]), ids + extra_ids, aid, span,
                              r["claimed"], r["computed"], r["tolerance"], detail))

        if member is not None:
            key, code, who = member
            add([ann.membership_check(a.n, key, code, who, d, shift=shift) for d in days], [])
            continue
        if orgs:
            key = orgs[0][0]
            label = ann.ORGANISATIONS[key][0]
            if ann.founding_year(key) is None:
                found = _founding_in_story(story, key, pub)
                if found is not None:
                    f, when = found
                    add([ann.anniversary_check(a.n, f["value"]["value"], d, shift=shift, what=label, founded=True)
                         for d in days], [f["id"]], lambda x: x.replace("(the story)", f"(the story: '{f['text']}')"))
                    continue
            add([ann.anniversary_check(a.n, key, d, shift=shift, what=label) for d in days], [])
            continue
        if not what:
            out.append(_check("anniversary", "unverifiable", ids, aid, span, claimed, None, None,
                              f"'{a.text}': what the anniversary is of is not said in the sentence."))
            continue
        found_anchor = story.anchor(aid, a.start, a.end, what, pub, min_age_days=180, same_sentence=True)
        if found_anchor is None:
            out.append(_check("anniversary", "unverifiable", ids, aid, span, claimed, None, None,
                              f"No reference data or date in the story for '{what}'."))
            continue
        f, when, how = found_anchor
        where = "this article" if f["article_id"] == aid else f"article {f['article_id']}"
        add([ann.anniversary_check(a.n, f["value"]["value"], d, shift=shift, what=what) for d in days], [f["id"]],
            lambda x: x.replace("(the story)", f"(the story: '{f['text']}', {where}, {how})"))
    return out


def _founding_in_story(story: _Story, key: str, pub: date) -> tuple[dict, tuple[date, date, str]] | None:
    """A date in a sentence that names the organisation and its founding ("NATO was founded in 1949")."""
    pattern = re.compile(ann.ORGANISATIONS[key][2])
    for f, when in story.dates():
        s = story.sentence_text(f["article_id"], f["start"], f["end"])
        if s and pattern.search(s[2]) and _FOUNDING.search(s[2]) and (pub - when[1]).days > 365:
            return f, when
    return None


# ---------------------------------------------------------------- geography
def _point(f: dict) -> tuple[float, float] | None:
    v = f.get("value") or {}
    if f.get("kind") != "place" or v.get("lat") is None or v.get("lon") is None:
        return None
    return float(v["lat"]), float(v["lon"])


def _subject(story: _Story, aid: str, start: int, exclude: set[str],
             to: tuple[int, int] | None = None) -> tuple[dict, str] | None:
    """The place a distance is measured from: the nearest city named before it in its sentence,
    else (when no other city of the sentence could be meant) the article's event place, else the
    story's. ``to``: the span of what it is measured to, whose cities ("Russia's Kaliningrad
    region") are not candidates."""
    facts = story.by_article.get(aid, [])
    sent = story.sentence_text(aid, start, start + 1)
    lo = sent[0] if sent else start - 200
    cities = [f for f in facts if f["kind"] == "place" and _point(f) and (f["value"].get("feature") == "city")
              and f["id"] not in exclude and not (to and to[0] <= f["start"] < to[1])]
    before = [f for f in cities if lo <= f["start"] and f["end"] <= start]
    if before:
        return max(before, key=lambda f: f["end"]), "named before the distance"
    in_sentence = sent is not None and any(sent[0] <= f["start"] < sent[1] for f in cities)
    if in_sentence:
        return None
    event = [f for f in cities if f.get("about") == "event.where"]
    if event:
        return event[0], "the article's event place, as the sentence names none"
    story_event = [f for a, fs in story.by_article.items() if a != aid for f in fs
                   if f["kind"] == "place" and f.get("about") == "event.where" and _point(f)
                   and f["value"].get("feature") == "city"]
    names = [f["value"].get("name") for f in story_event]
    if story_event:
        top = max(set(names), key=lambda n: (names.count(n), n or ""))
        if names.count(top) * 2 > len(names):
            return next(f for f in story_event if f["value"].get("name") == top), \
                "the story's event place, as neither the sentence nor the article names one"
    return None


def _place_named(story: _Story, aid: str, name: str) -> dict | None:
    """A place fact whose text or name is ``name``: this article first, then the story."""
    want = re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.I).lower()
    order = [aid] + [a for a in story.by_article if a != aid]
    for a in order:
        for f in story.by_article.get(a, []):
            if f["kind"] != "place":
                continue
            names = {str(f.get("text", "")).lower(), str((f.get("value") or {}).get("name", "")).lower()}
            if want in names:
                return f
    return None


def _fmt_km(km: float) -> str:
    return f"{km:.1f} km"


def _to_span(story: _Story, aid: str, f: dict, phrase: str) -> tuple[int, int] | None:
    """Where the words a distance is measured to stand, just after the distance."""
    text = story.texts.get(aid)
    if text is None:
        return None
    i = text.find(phrase, f["end"], f["end"] + 80 + len(phrase))
    return (i, i + len(phrase)) if i >= 0 else None


def _distances(story: _Story, aid: str) -> list[dict]:
    out = []
    dated = story.dated(aid)
    for f in story.by_article.get(aid, []):
        places = (f.get("detail") or {}).get("places") or []
        if f["kind"] != "distance" or not places:
            continue
        v = f.get("value") or {}
        span = (f["start"], f["end"], f["text"])
        claimed = {"km": v.get("value"), "low": v.get("low"), "high": v.get("high"),
                   "qualifier": v.get("qualifier"), "text": f["text"], "from": places}
        if v.get("value") is None and v.get("high") is None:
            out.append(_check("border_distance", "unverifiable", [f["id"]], aid, span, claimed, None, None,
                              f"'{f['text']}' states no distance to compare."))
            continue
        tol = geo.distance_tolerance(v.get("value"), v.get("low"), v.get("high"), f["text"], v.get("qualifier"))
        refs = [geo.parse_reference(p) for p in places]
        if len(refs) == 2 and all(r.kind == "place" for r in refs):
            a, b = (_place_named(story, aid, r.text) for r in refs)
            if a and b and _point(a) and _point(b):
                out.append(_point_check(f, aid, span, claimed, tol, a, b, "between"))
                continue
        ref = refs[0]
        target = None
        if ref.kind == "place":
            target = _place_named(story, aid, ref.text)
            if target is not None and target["value"].get("feature") == "country" and target["value"].get("country"):
                ref = geo.Reference("country", ref.text, (target["value"]["country"],))
        exclude = {target["id"]} if target else set()
        subject = _subject(story, aid, f["start"], exclude, _to_span(story, aid, f, places[0]))
        if subject is None:
            out.append(_check("border_distance" if ref.kind != "place" else "distance", "unverifiable", [f["id"]],
                              aid, span, claimed, None, tol,
                              f"No place is named before '{f['text']}' to measure from."))
            continue
        if ref.kind == "place":
            if target is None or target["value"].get("feature") != "city" or _point(target) is None:
                out.append(_check("distance", "unverifiable", [f["id"], subject[0]["id"]], aid, span, claimed, None,
                                  tol, f"'{ref.text}' is not a town or city the story locates."))
                continue
            out.append(_point_check(f, aid, span, claimed, tol, subject[0], target, subject[1]))
            continue
        out.append(_border_check(f["id"], aid, span, claimed, tol, subject, ref, dated[1] if dated else None))
    return out


def _verdict(km: float, tol: dict) -> str:
    ok = (tol["low"] is None or km >= tol["low"]) and (tol["high"] is None or km <= tol["high"])
    return "consistent" if ok else "inconsistent"


def _allowed(tol: dict) -> str:
    if tol["high"] is None:
        return f"at least {_fmt_km(tol['low'])}"
    if not tol["low"]:
        return f"up to {_fmt_km(tol['high'])}"
    return f"{_fmt_km(tol['low'])} to {_fmt_km(tol['high'])}"


def _point_check(f: dict, aid: str, span: tuple, claimed: dict, tol: dict, a: dict, b: dict, how: str) -> dict:
    km = geo.distance_km(_point(a), _point(b))
    na, nb = a["value"].get("name") or a["text"], b["value"].get("name") or b["text"]
    detail = (f"{na} to {nb} is {_fmt_km(km)} (geodesic between GeoNames coordinates"
              f"{'' if how in ('between', 'named before the distance') else ', measured from ' + how}); "
              f"'{f['text']}' allows {_allowed(tol)}.")
    return _check("distance", _verdict(km, tol), [f["id"], a["id"], b["id"]], aid, span, claimed,
                  {"km": round(km, 2), "from": na, "to": nb}, tol, detail)


def _country_name(code: str) -> str:
    name = geo.country_name(code)
    if name:
        return name
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code)
        return getattr(c, "common_name", None) or c.name if c else code
    except (ImportError, LookupError):
        return code


def _border_check(fid: str, aid: str, span: tuple, claimed: dict, tol: dict, subject: tuple[dict, str],
                  ref: geo.Reference, on: date | None = None) -> dict:
    place, how = subject
    lat, lon = _point(place)  # type: ignore[misc]
    name = place["value"].get("name") or place["text"]
    ids = [fid, place["id"]]
    where = "" if how == "named before the distance" else f", measured from {how}"
    home = place["value"].get("country")
    if ref.kind == "border" and ref.partner and home and home != ref.codes[0]:
        ref = geo.Reference("pair", ref.text, (home, ref.codes[0]))  # "the border with Russia", said in Poland
    members = geo.group_members(ref.group, on) if ref.kind == "group" and ref.group else None
    if ref.kind in ("unknown", "group") and (ref.kind == "unknown" or members is None):
        near = geo.nearest_foreign(lat, lon)
        why = f"'{ref.text}': {ref.reason}" if ref.kind == "unknown" else \
            f"{ref.group} territory is unresolved: {geo.GROUP_SOURCES.get(ref.group or '', 'no member list')}"
        info = (f"; for reference, the nearest foreign territory to {name} is {_country_name(near[0])}, "
                f"{_fmt_km(near[1])} away ({geo.NE_SOURCE})") if near else ""
        computed = {"nearest_foreign": {"country": near[0], "km": round(near[1], 2)},
                    "source": geo.source()} if near else None
        return _check("border_distance", "unverifiable", ids, aid, span, claimed, computed, tol,
                      f"{why}{info}.")
    if ref.kind == "group":
        found = geo.group_distance_km(lat, lon, members or ())
        if found is None:
            return _check("border_distance", "unverifiable", ids, aid, span, claimed, None, tol,
                          f"'{ref.text}': no shapes for the members of {ref.group}.")
        km, member = found
        at = f" on {on.isoformat()}" if on and ref.group == "NATO" else ""
        what = (f"{_country_name(member)}, the nearest of {ref.group}'s {len(members or ())} members{at} "
                f"({geo.GROUP_SOURCES[ref.group or '']})")
    elif ref.kind == "pair":
        a, b = ref.codes
        km = geo.border_distance_km(lat, lon, a, b)  # type: ignore[assignment]
        what = f"the {_country_name(a)}-{_country_name(b)} border"
        if km is None:
            return _check("border_distance", "unverifiable", ids, aid, span, claimed, None, tol,
                          f"{_country_name(a)} and {_country_name(b)} share no border in {geo.NE_SOURCE}.")
    elif ref.kind == "border":
        km = geo.border_distance_km(lat, lon, ref.codes[0])  # type: ignore[assignment]
        what = f"the border of {_country_name(ref.codes[0])}"
    else:
        km = geo.territory_distance_km(lat, lon, ref.codes[0])  # type: ignore[assignment]
        what = f"{_country_name(ref.codes[0])}'s territory"
    if km is None:
        return _check("border_distance", "unverifiable", ids, aid, span, claimed, None, tol,
                      f"'{ref.text}': not found in {geo.NE_SOURCE}.")
    allowed = f"means within {tol['high']:g} km" if claimed.get("near") else f"allows {_allowed(tol)}"
    detail = (f"{name} is {_fmt_km(km)} from {what} (geodesic to the nearest point of {geo.NE_SOURCE}"
              f"{where}); '{span[2]}' {allowed}.")
    return _check("border_distance", _verdict(km, tol), ids, aid, span, claimed,
                  {"km": round(km, 2), "to": what.split(" (")[0], "codes": list(ref.codes), "source": geo.source()},
                  tol, detail)


_NEAR = re.compile(r"\b(?:near|close\s+to|not\s+far\s+from)\s+(?:the\s+)?"
                   r"(?P<ref>(?:[A-Z][\w.'’-]*[\s-]+){0,3}(?:border|frontier)(?:\s+(?:with|between)\s+"
                   r"[A-Z][\w.'’-]*(?:\s+(?:and\s+)?[A-Z][\w.'’-]*){0,3})?)")


def _near_borders(story: _Story, aid: str) -> list[dict]:
    """ "near the Polish border": within 50 km of it."""
    text = story.texts.get(aid)
    if text is None:
        return []
    out = []
    for m in _NEAR.finditer(text):
        ref = geo.parse_reference(m["ref"])
        if ref.kind not in ("border", "pair", "country", "group"):
            continue
        subject = _subject(story, aid, m.start(), set())
        if subject is None or subject[1] != "named before the distance":
            continue  # "troops massed near the border": no place is said to be near it
        span = (m.start(), m.end(), m.group(0))
        claimed = {"near": True, "text": m.group(0), "from": [m["ref"]]}
        tol = {"low": 0.0, "high": NEAR_KM, "km": None, "rule": f"'near' = within {NEAR_KM:g} km"}
        dated = story.dated(aid)
        out.append(_border_check("", aid, span, claimed, tol, subject, ref, dated[1] if dated else None))
        out[-1]["facts"] = [x for x in out[-1]["facts"] if x]
    return out


# ---------------------------------------------------------------- member counts
_MEMBERS_WORD = r"(?:member\s+(?:states|countries|nations)|members|allies|nations|countries)"


def _count_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """ "NATO's 32 member states", "32 NATO members", "the 32 members of NATO", "the 32-member NATO",
    for every organisation whose members the package's table dates."""
    out = []
    for key in sorted({r.organisation for r in data.rows() if r.event == "joined"}):
        org = f"(?:{ann.ORGANISATIONS[key][2]})" if key in ann.ORGANISATIONS else re.escape(key)
        n = rf"(?P<n>{cal.CARDINAL})"
        for p in (rf"{org}(?:'s|’s)\s+{n}\s+{_MEMBERS_WORD}\b", rf"\b{n}\s+{org}\s+{_MEMBERS_WORD}\b",
                  rf"\b{n}\s+{_MEMBERS_WORD}\s+of\s+(?:the\s+)?{org}", rf"\b{n}-(?:member|nation|country)\s+{org}"):
            out.append((key, re.compile(p)))
    return out


def _member_counts(story: _Story, aid: str) -> list[dict]:
    """ "NATO's 32 member states": the members the table lists on the article's date. Exact."""
    text = story.texts.get(aid)
    if text is None:
        return []
    out = []
    dated = story.dated(aid)
    facts = story.by_article.get(aid, [])
    for key, pattern in _count_patterns():
        for m in pattern.finditer(text):
            n = cal.cardinal_value(m["n"])
            if n is None or n != int(n) or n < 2:
                continue
            ids = [f["id"] for f in _overlapping(facts, m.start(), m.end())]
            span = (m.start(), m.end(), m.group(0))
            claimed = {"members": int(n), "of": key}
            if dated is None:
                out.append(_check("member_count", "unverifiable", ids, aid, span, claimed, None, "exact",
                                  f"'{m.group(0)}' counts the members on the publication date, which is unknown."))
                continue
            lo, hi, how = dated
            counts = {d: len(data.members(key, d)) for d in (lo, hi)}
            when = f"on {lo.isoformat()}" if lo == hi else f"from {lo.isoformat()} to {hi.isoformat()}"
            if len(set(counts.values())) > 1:
                out.append(_check("member_count", "unverifiable", ids, aid, span, claimed,
                                  {"members": sorted(set(counts.values())), "source": data.TABLE.name}, "exact",
                                  f"{key} had {counts[lo]} members on {lo.isoformat()} and {counts[hi]} on "
                                  f"{hi.isoformat()}, and the article's date is not known closer than that."))
                continue
            have = counts[hi]
            last = max(data.members(key, hi).values(), key=lambda r: r.date)
            detail = (f"{key} had {have} members {when} (the last to join before then: "
                      f"{_country_name(last.member or '')}, "
                      f"{last.date.isoformat()}; {data.TABLE.name}, source {last.source.split()[0]}); "
                      f"'{m.group(0)}' says {int(n)}" + (f" ({how})." if how else "."))
            out.append(_check("member_count", "consistent" if have == n else "inconsistent", ids, aid, span,
                              claimed, {"members": have, "source": data.TABLE.name}, "exact", detail))
    return out
