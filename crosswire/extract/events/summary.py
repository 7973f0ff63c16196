"""One article's account of its event: when, where, how many killed and injured.

Stage ``summary.v3``. Input: the parsed text (a spaCy ``Doc``), the title (its own ``Doc`` when
given), the publication day, and the outputs of the extractors on the text (time expressions,
places, quantities). The title's are computed here from ``title_doc`` (a few words: cheap).
Output: an :class:`EventSummary` whose every field points to the span it came from.

**When.** Each time expression of the title and text that names a day (or a week, weekend or
month) no later than the publication day is a candidate. It scores by what it dates, read from the
dependency parse around it: an event word on the way up ("shot ... Saturday", "Saturday's
shooting", "it happened Monday") raises it, a word of the aftermath ("said", "charged", "court",
"funeral", "identified") lowers it, and so does a verb whose subject or place is a step of the
aftermath ("Funeral services are tonight", "read in court Friday evening", "taken into custody
Monday"); a verb qualified by a "when" clause telling of the event takes the event's day ("had
returned home on Nov. 14 when robbers ambushed them"); a sentence telling of the shooting, the title and the top of
the text raise it; a day borrowed from elsewhere ("at 5 p.m.", "that night"), a date long
before publication and a sentence naming only places far from the event's ("On Tuesday, three
people were killed in Gdańsk" in a Rotterdam story: another event) lower it. A "when" clause
passes the date on to what it qualifies ("killed ... when an explosion set off a fire late on
Friday"). A death told apart ("taken to the hospital, where she died Sunday", "died later") does
not date the shooting. A week or month gives way to a day inside it ("earlier this week ... on
Sept. 19") scoring no more than ``REFINE_MARGIN`` less; a date opening a sentence split after
"p.m." reads the parse of the time before it.
 Publication stamps ("Updated: Apr 12, 2016 - 9:35 AM") are not
candidates. The best candidate gives ``when_start``/``when_end`` (one day, or the days of a week or
month) with ``when_source="text"``; "today", "tonight", "this morning" give the publication day
with ``when_source="today"``; with no candidate the publication day stands in,
``when_source="publication"``. With no publication day, "Saturday" cannot be resolved: a date
stated outright ("March 18, 2016") is taken only in the title or the first ``LEAD_SENTENCES``
sentences of prose (captions, bylines and stamps left out) and on the event's clause; else the day
is unknown (``when_source="none"``): a caption's or a background's date is not the event's.
Publication stamps are not candidates ("Updated: Apr 12, 2016", "... EDT Updated: Tuesday, April
14, 2015").


**Where.** The text's event place (:func:`crosswire.extract.places.resolve.event_place`), unless the
headline (an outlet's name after a dash or bar cut off) names another town that the text names
too, or the text names no town: then the headline's town, read as the text reads it (a namesake in
another state than the article's is not taken; the headline's town also wins over a county the
text reads in doubt in another state, when its own state has a county of that name: "east of
Bozeman" over "Gallatin County"). A town of a city ten times its size within

``NEIGHBOURHOOD_KM`` in the same state, which the article names too, is a neighbourhood (across a
state line it is a town of its own: Bethesda, Maryland, beside Washington): ``where`` is the city,
``where_part`` the neighbourhood ("Woodlawn", "Chicago police"). A place where someone lives ("a
Woodville man") or someone's name is not the headline's town.

**Killed, injured.** :func:`crosswire.extract.quantities.find.event_figures` over the casualty mentions
of the title and the lead, leaving out tallies of other events ("104 people shot this year", "two
separate shootings"), sentences naming only places far from the event's and mentions whose
nearest date lies more than ``PAST_EVENT_DAYS`` before the event's day ("a July 2014 shooting
that left a girl dead"). None means the article does not say; a stated zero ("no one was hurt") is 0.
``killed``/``injured`` may be a copy of their main mention with the figure as value (a shooter's
own death added, survivors of those shot); the mentions themselves are in ``*_evidence``.
Cost: about 1 ms per article beyond the extractors (the title's extractors included).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from crosswire.extract.places.gazetteer import get_gazetteer, haversine_km, normalise
from crosswire.extract.places.resolve import Place, event_place, resolve_places
from crosswire.extract.quantities.find import Quantity, event_figures, find_quantities
from crosswire.extract.quantities.base import _person_word
from crosswire.extract.time.timex import Timex, find_timexes

STAGE = "summary.v3"

__all__ = ["STAGE", "EventSummary", "summarise"]


@dataclass
class EventSummary:
    """What one article says of its event, each field with its evidence."""

    when_start: str | None          # ISO day
    when_end: str | None            # ISO day (== when_start for one day)
    when_precision: str | None      # "day" | "week" | "month" | None
    when_source: str                # "text" | "today" | "publication" | "none"
    when_evidence: Timex | None     # the time expression used (None for "publication")
    when_confidence: float
    where: Place | None
    where_part: Place | None        # a part of ``where`` the article names (a neighbourhood)
    killed: Quantity | None         # None: not said; value 0: "no one was killed"
    injured: Quantity | None
    killed_evidence: list[Quantity] = field(default_factory=list)
    injured_evidence: list[Quantity] = field(default_factory=list)
    in_title: list[str] = field(default_factory=list)  # fields whose evidence spans the title

    @property
    def state(self) -> str | None:
        """The US state (postal code) of the event place, when it lies in one."""
        p = self.where
        return p.admin1 if p is not None and p.country == "US" and p.feature != "country" else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["state"] = self.state
        d["stage"] = STAGE
        return d


# ---------------------------------------------------------------- when
_EVENT_WORDS = {
    "shoot", "shot", "kill", "die", "wound", "injure", "hurt", "murder", "slay", "gun", "fire",
    "happen", "occur", "respond", "find", "discover", "pronounce", "hit", "strike", "call",
    "shooting", "incident", "death", "killing", "homicide", "slaying", "gunfire",
    "accident", "attack", "rampage", "dispatch", "arrive", "ambush",
}
_EVENT_NOUNS = {"shooting", "incident", "death", "killing", "homicide", "slaying", "accident",
                "attack", "murder", "explosion", "blast", "fire", "crash", "collision", "gunfire"}
_EVENT_CORE = {"shoot", "shooting", "kill", "killing", "die", "wound", "injure", "murder",
               "homicide", "slaying", "gunfire", "gunshot"}
_AFTER_WORDS = {
    "say", "tell", "announce", "confirm", "identify", "charge", "arrest", "arraign", "indict",
    "plead", "appear", "court", "hearing", "funeral", "vigil", "service", "release", "rule",
    "update", "publish", "post", "gather", "hold", "remember", "interview", "sentence",
    "testify", "expect", "schedule", "plan", "close", "return", "attend", "speak", "ask", "meet",
    "bury", "memorial", "trial", "jury", "book", "file", "question", "search", "investigate",
    "continue", "remain", "add", "note", "write", "share", "rally", "march", "mourn", "grieve",
    "investigation", "underway", "autopsy", "arraignment", "bond", "bail", "custody",
    "jail", "judge", "spend",
}
_STAMP = re.compile(r"(?i)\b(?:published|updated|posted|modified|created)\b")
_STAMP_BEFORE = re.compile(r"(?i)\b(?:published|updated|posted|modified|created)(?:\s+(?:on|at))?"
                           r"\s*:?\s*$")
# An expression that names its day itself (else the day is borrowed: "at 5 p.m.", "that night")
_NAMES_DAY = re.compile(
    r"(?i)\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b|\b(?:jan|feb|mar|apr|may|jun|"
    r"jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s*\d|\d{1,2}/\d{1,2}|\d{4}-\d\d|today|tonight|yesterday|"
    r"\bthis\s+(?:morning|afternoon|evening)|\blast\s+(?:night|evening)|\b(?:christmas|thanksgiving|"
    r"easter|new\s+year|halloween|independence|fourth\s+of\s+july|memorial\s+day|labor\s+day)|"
    r"\b\d+\s+(?:days?|weeks?)\s+ago|\bweekend|\bweek\b|\bmonth\b")


def names_day(text: str) -> bool:
    """Does a time expression name its day itself ("Friday", "Dec. 13", "last night"), rather than
    borrow it ("at 6 p.m.", "that night")?"""
    return bool(_NAMES_DAY.search(text or ""))


_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_WEEK = re.compile(r"(\d{4})-W(\d\d)(-WE)?$")
_MONTH = re.compile(r"(\d{4})-(\d\d)$")
_TODAY = re.compile(r"(?i)^(?:(?:early|late|earlier|later)\s+)?(?:today|tonight|this\s+(?:morning|afternoon|evening))\b")


BORROWED_PENALTY = 1.5
SENTENCE_BONUS = 1.0  # the sentence tells of the event, whatever the parse
AGE_PENALTY, AGE_SCALE = 1.0, 365  # a date more than a month before publication: background?
OTHER_PLACE_PENALTY = 2.0  # the sentence tells of events elsewhere
REFINE_MARGIN = 2.5  # a week or month gives way to a day inside it scoring this much less



LEAD_SENTENCES = 2  # with no publication day, only the lead's own date dates the event
_CAPTION = re.compile(
    r"(?i)\bpictured\b|\bphoto(?:graph)?s?\s*(?:by\b|:|credit)|\(photo\b|getty\s+images|\bap\s+photo\b|"
    r"\bfile\s+(?:photo|image)\b|\b(?:image|photo|picture)\s+credit|\bcredit:|\bcaption\b|\bimage:|"
    r"\b(?:reuters|afp|epa|ap)\s*/|/\s*(?:reuters|afp|epa|getty|shutterstock)\b|\bbuy\s+photo\b")
# A date stated outright: "September 29, 2016", "29 September", "9/29/2016", "2016-09-29"
_ABSOLUTE = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)|"
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d\d-\d\d\b")


@dataclass
class _When:
    timex: Timex
    start: date
    end: date
    precision: str
    in_title: bool
    score: float
    cue: int = 0
    lead: bool = False  # in the title or the lead sentences


def _lead_sentences(doc) -> set[int]:
    """The indices of the lead's sentences: the first ``LEAD_SENTENCES`` of prose (a verb, six
    words or more), captions ("(pictured: ...)", "Photo by ... /Getty Images"), bylines and
    stamps left out."""
    out: set[int] = set()
    for i, sent in enumerate(doc.sents):
        words = [t for t in sent if t.is_alpha]
        text = sent.text
        if len(words) < 6 or not any(t.pos_ in ("VERB", "AUX") for t in sent) or \
                _CAPTION.search(text) or _STAMP.search(text[:40]) or \
                re.match(r"\s*(?:by|from)\s+[A-Z]", text):
            continue
        out.add(i)
        if len(out) >= LEAD_SENTENCES:
            break
    return out


def _days(value: str) -> tuple[date, date, str] | None:
    """(first day, last day, precision) of a TIMEX3 value naming a day, week or month."""
    m = _DAY.match(value)
    if m:
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return d, d, "day"
    m = _WEEK.match(value)
    if m:
        try:
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        if m[3]:
            return monday + timedelta(days=5), monday + timedelta(days=6), "week"
        return monday, monday + timedelta(days=6), "week"
    m = _MONTH.match(value)
    if m and 1 <= int(m[2]) <= 12:
        first = date(int(m[1]), int(m[2]), 1)
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, nxt - timedelta(days=1), "month"
    return None


def _cue(doc, t: Timex) -> int:
    """+1 when the expression dates the event, -1 the aftermath, 0 when unclear: the first
    telling word on the way up the parse from the expression decides ("shot ... Saturday",
    "Saturday's shooting" vs "charged Monday", "said Thursday"); a clause's verb ends the way."""
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return 0
    tok = span.root
    k = span.start - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if span[0].is_sent_start and k >= 0 and doc[k].lower_.rstrip(".") in ("a.m", "p.m", "am", "pm"):
        tok = doc[k]  # "It happened about 11:20 p.m. | Sept. 19 at a home": split after "p.m."
    for _ in range(6):

        if tok.i < span.start or tok.i >= span.end:
            lemma = tok.lemma_.lower()
            if _when_event(tok):
                return 1  # "had returned home on Nov. 14 when robbers ambushed them"
            if lemma in _EVENT_WORDS or tok.lower_ in _EVENT_WORDS:
                return 0 if _later_death(tok) else 1
            if lemma in _AFTER_WORDS:
                return -1
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("amod", "acl", "compound"):
                for c in tok.children:
                    if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and (
                            c.lemma_.lower() in _EVENT_NOUNS):
                        return 1  # "the shooting took place Monday"
                if _aftermath_args(tok):
                    return -1  # "Funeral services are tonight", "read in court Friday evening"
                if not (tok.dep_ == "advcl" and any(c.lower_ == "when" and c.i < tok.i
                                                    for c in tok.children)):
                    return 0  # "killed when a car hit them Friday": the way goes on
        if tok.head is tok:
            break
        tok = tok.head
    return 0


def _when_event(tok) -> bool:
    """A verb qualified by a "when" clause telling of the event: "had returned home on Nov. 14
    when robbers ambushed them" dates the ambush."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    return any(c.dep_ == "advcl" and (c.lemma_.lower() in _EVENT_WORDS or c.lower_ in _EVENT_WORDS)
               and not _later_death(c)
               and any(w.lower_ == "when" and w.i < c.i for w in c.children) for c in tok.children)


def _aftermath_args(tok) -> bool:
    """A verb whose subject or place is a step of the aftermath: "Funeral services are tonight",
    "read in court Friday evening", "was taken into custody Monday"."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN" and c.lemma_.lower() in _AFTER_WORDS:
            return True
        if c.dep_ == "prep":
            if any(g.dep_ == "pobj" and g.pos_ == "NOUN" and g.lemma_.lower() in _AFTER_WORDS
                   for g in c.children):
                return True
    return False


_HOSPITAL = {"hospital", "hospice", "center", "centre", "icu", "unit"}
_DEATH_WORDS = {"die", "death", "pronounce", "succumb"}


def _later_death(tok) -> bool:
    """A death told apart from the shooting, which may have come days before: "she died Sunday
    at the hospital", "where he died Monday", "died later" (not "died of a gunshot wound")."""
    if tok.lemma_.lower() not in _DEATH_WORDS:
        return False
    for c in tok.children:
        lw = c.lower_
        if lw in ("later", "subsequently", "eventually") or c.dep_ == "advmod" and lw == "where":
            return True
        if c.dep_ == "prep" and lw in ("at", "in"):
            for g in c.children:
                gl = g.lemma_.lower()
                if gl in _HOSPITAL or g.ent_type_ == "FAC" and any(

                        x.lemma_.lower() in _HOSPITAL for x in g.subtree):
                    return True
    return tok.dep_ == "relcl" and tok.head.lemma_.lower() in _HOSPITAL


def _event_sentence(span) -> bool:
    """Does the sentence tell of the event ("shot", "killed", "the shooting")?"""
    return any(t.lemma_.lower() in _EVENT_CORE for t in span.sent)


OTHER_PLACE_KM = 80.0  # a sentence naming only places this far from the event's tells of another


def _far(p: Place, where: Place) -> bool:
    """Is place ``p`` clearly not where the event happened (another country or state, or a town
    more than ``OTHER_PLACE_KM`` away)?"""
    if p.country and where.country and p.country != where.country:
        return True
    if p.feature == "admin1" and where.feature != "country":
        return p.admin1 != where.admin1
    if p.feature in ("city", "admin2") and p.lat is not None and where.lat is not None:
        return haversine_km(p.lat, p.lon, where.lat, where.lon) > OTHER_PLACE_KM
    return False


_PART_NOUNS = {"neighborhood", "neighbourhood", "district", "section", "area", "side", "subdivision",
               "community", "park", "complex"}


def _in_name(doc, p: Place) -> bool:
    """The place begins a longer name ("UK Medical Center", "Gdańsk Police Department") or names
    a part of town ("the city's Old West End neighborhood")."""
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    if span.end < len(doc) and doc[span.end].lower_ in _PART_NOUNS:
        return True
    root = span.root

    return root.dep_ == "compound" and root.head.pos_ == "PROPN" and not (
        span.start <= root.head.i < span.end)


def _elsewhere(sent, places: list[Place], where: Place | None, names: set[str]) -> bool:

    """Does the sentence tell of somewhere else: it names places (not people's names), none of
    them the event's and each far from it ("On Tuesday, three people were killed in a blast in
    Gdańsk" in a Rotterdam story)?"""
    if where is None:
        return False
    a, b = sent.start_char, sent.end_char
    inside = [p for p in places if a <= p.start < b and p.cue != "background"
              and p.feature in ("city", "admin2", "admin1", "country")
              and normalise(p.text) not in names and not _in_name(sent.doc, p)]
    if not inside:
        return False
    return all(p.geonameid != where.geonameid and _far(p, where) for p in inside)


def _when_candidates(doc, timexes: list[Timex], in_title: bool, published: date | None,
                     sent_starts: list[int], places: list[Place] = (),
                     where: Place | None = None, names: set[str] = frozenset(),
                     lead: set[int] = frozenset()) -> list[_When]:
    text = doc.text
    out = []
    for t in timexes:
        if t.type not in ("DATE", "TIME") or not t.value:
            continue
        got = _days(t.value)
        if got is None:
            continue
        start, end, precision = got
        if published is not None:
            if start > published:
                continue
            age = (published - end).days
        else:
            age = 0
        line_start = text.rfind("\n", 0, t.start) + 1
        if _LINKS.match(text, line_start):
            continue  # "RELATED: Man charged in Monday's shooting | ..."
        if t.start - line_start < 80 and _STAMP.search(text[line_start:t.start]) or \
                _STAMP_BEFORE.search(text[max(line_start, t.start - 30):t.start]):
            continue  # "Updated: Apr 12, 2016 - 9:35 AM", "... EDT Updated: Tuesday, April 14"
        cue = _cue(doc, t)
        sent = bisect_right(sent_starts, t.start) - 1
        score = 2.0 * cue
        if cue >= 0:
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None and len(span) and _event_sentence(span):
                score += SENTENCE_BONUS
        score += 1.0 if in_title else max(0.0, 1.0 - 0.1 * sent) - 0.05 * min(sent, 40)
        if precision != "day":
            score -= 1.0 if precision == "week" else 2.0
        if not _NAMES_DAY.search(t.text):
            score -= BORROWED_PENALTY  # "at 5 p.m.", "earlier in the day": the day is borrowed
        if age > 31:
            score -= AGE_PENALTY + min(age, 3650) / AGE_SCALE
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and len(span) and (_elsewhere(span.sent, places, where, names) or
                                               _UNRELATED.search(span.sent.text)):
            score -= OTHER_PLACE_PENALTY  # another event: elsewhere, or "in an unrelated incident"

        out.append(_When(t, start, end, precision, in_title, score, cue, in_title or sent in lead))
    return out


def _when(doc, timexes, title_doc, title_timexes, published, places=(), title_places=(),
          where=None):
    starts = [s.start_char for s in doc.sents] if len(doc) else [0]
    names = _person_names(doc, title_doc)
    lead = _lead_sentences(doc) if published is None else set()
    cands = _when_candidates(doc, timexes, False, published, starts, places, where, names, lead)
    if title_doc is not None and len(title_doc):
        cands += _when_candidates(title_doc, title_timexes, True, published, [0], title_places,
                                  where, names)
    if published is None:
        # nothing to resolve "Saturday" against: a date stated outright dates the event only in
        # the lead and on the event's clause (not a caption's or a background's date)
        cands = [c for c in cands if c.lead and c.cue > 0 and _ABSOLUTE.search(c.timex.text)]

    if not cands:
        if published is None:
            return None, None, None, "none", None, False, 0.0
        return published.isoformat(), published.isoformat(), "day", "publication", None, False, 0.3
    best = max(cands, key=lambda c: (c.score, -c.timex.start))
    if best.precision != "day":
        # "earlier this week ... It happened about 11:20 p.m. Sept. 19": a day inside it
        inside = [c for c in cands if c.precision == "day" and best.start <= c.start <= best.end
                  and c.score >= best.score - REFINE_MARGIN]
        if inside:
            best = max(inside, key=lambda c: (c.score, -c.timex.start))
    source = "today" if _TODAY.match(best.timex.text) and best.start == published else "text"
    conf = max(0.1, min(1.0, 0.5 + 0.15 * best.score))
    return (best.start.isoformat(), best.end.isoformat(), best.precision, source, best.timex,
            best.in_title, round(conf, 3))


# ---------------------------------------------------------------- where
NEIGHBOURHOOD_KM = 20.0  # a place this near a city ten times its size, named too, is part of it


_CITY_POLICE = re.compile(r"[ \t]+(?:police|Police|PD)\b")


def _municipality(where: Place | None, places: list[Place], text: str = "") -> tuple[Place | None, Place | None]:
    """(the city, the part of it) when the event place is a neighbourhood of a much larger city the
    article also names ("Woodlawn" and "Chicago police"), else (the event place, None). A town
    read in another US state than the only big city whose police the text cites ("shot in
    Madisonville, Cincinnati police said", Madisonville read in Kentucky) is a part of that city
    the gazetteer does not list."""
    if where is None or where.feature != "city" or where.lat is None or where.geonameid is None:
        return where, None
    g = get_gazetteer()
    if where.country == "US" and text:
        police = {p.geonameid: p for p in places if p.feature == "city" and p.country == "US"
                  and p.geonameid not in (None, where.geonameid) and text[p.start:p.end] == p.text
                  and _CITY_POLICE.match(text, p.end)
                  and (big := g.city(p.geonameid)) is not None and big.population >= 100_000}
        if len(police) == 1:
            (p,) = police.values()
            if p.admin1 != where.admin1 and not any(
                    x.feature in ("city", "admin2", "admin1") and x.admin1 == where.admin1
                    and x.geonameid != where.geonameid for x in places if x.country == "US"):
                return p, where
    e = g.city(where.geonameid)
    size = e.population if e is not None else 0
    best = None
    for p in places:
        if p.feature != "city" or p.geonameid in (None, where.geonameid) or p.lat is None or \
                p.country != where.country or p.cue == "background":
            continue  # "taken to a New Orleans hospital" does not put Chalmette in New Orleans
        if p.admin1 != where.admin1:
            continue  # across a state line a town is its own ("Bethesda, Maryland" near Washington)
        big = g.city(p.geonameid)
        if big is None or big.population < max(100_000, 10 * size):
            continue
        d = haversine_km(where.lat, where.lon, p.lat, p.lon)
        if d <= NEIGHBOURHOOD_KM and (best is None or d < best[0]):
            best = (d, p)
    if best is None:
        return where, None
    return best[1], where


_OUTLET_PART = re.compile(
    r"(?i)\b(?:news|tv|channel|radio|weather|sports|times|post|gazette|herald|tribune|journal|"
    r"daily|online|press|chronicle|\.com|[kw][a-z]{2,3}(?:-tv)?\b)")


def _headline_end(title: str) -> int:
    """Where the headline proper ends: "Boy shot in Toledo - Toledo News Now, Toledo, OH" -> after
    "Toledo" (from the first dash or bar followed by an outlet's name on, nothing is the story's)."""
    seps = list(re.finditer(r"\s+[-|\u2013\u2014]\s+|\s*\|\s*", title))
    for i, m in enumerate(seps):
        nxt = seps[i + 1].start() if i + 1 < len(seps) else len(title)
        if _OUTLET_PART.search(title[m.end():nxt]):
            return m.start()
    return len(title)


def _residence(doc, p: Place) -> bool:
    """"a Woodville man", "Minnetonka teenager": the place says where someone lives."""
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    t = span[-1]
    if t.dep_ == "pobj" and t.head.lower_ in ("from", "of"):
        t = t.head  # "a woman from Sun Valley"
    for _ in range(3):
        if t.dep_ not in ("compound", "amod", "nmod", "prep") or t.head is t:
            return False
        t = t.head
        if _person_word(t.lemma_) or _person_word(t.lower_):
            return True
    return False


def _person_names(*docs) -> set[str]:
    """The words of the people's names in the texts ("Senquez Jackson": "senquez", "jackson")."""
    return {normalise(t.text) for doc in docs if doc is not None
            for e in doc.ents if e.label_ == "PERSON" and 1 < len(e) <= 4 for t in e}


def _country_of(places: list[Place]) -> str | None:
    """The country most of the article's places lie in."""
    counts: dict[str, int] = {}
    for p in places:
        if p.country:
            counts[p.country] = counts.get(p.country, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def _main_state(places: list[Place]) -> str | None:
    """The US state most of the article's places lie in (readings in doubt left out)."""
    counts: dict[str, int] = {}
    for p in places:
        if p.country == "US" and p.admin1 and p.feature != "country" and p.confidence >= 0.5:

            counts[p.admin1] = counts.get(p.admin1, 0) + 1
    if not counts:
        return None
    top = max(counts, key=counts.__getitem__)
    return top if 2 * counts[top] > sum(counts.values()) else None


def _reread(t: Place, places: list[Place]) -> Place:
    """A title place read as the text reads the same name, else inside the text's state."""
    key = normalise(t.text)
    same = [p for p in places if normalise(p.text) == key or normalise(p.name) == key]
    if same:
        p = max(same, key=lambda p: p.confidence)
        return replace(t, name=p.name, geonameid=p.geonameid, country=p.country, lat=p.lat,
                       lon=p.lon, feature=p.feature, admin1=p.admin1,
                       confidence=max(t.confidence, p.confidence))
    state = _main_state(places)
    if state and t.country == "US" and t.feature == "city" and t.admin1 != state:
        g = get_gazetteer()
        again = [e for e, _ in g.lookup(t.text) if e.country == "US" and e.admin1 == state
                 and e.feature == "city"] + [e for e in g.local(t.text)
                                             if e.country == "US" and e.admin1 == state]
        if again:
            e = max(again, key=lambda e: e.population)
            return replace(t, name=e.name, geonameid=e.geonameid, country=e.country, lat=e.lat,
                           lon=e.lon, admin1=e.admin1)
    return t


def _inside(small: Place, big: Place) -> bool:
    if big.feature == "country":
        return small.country == big.country
    if big.feature in ("admin1", "admin2"):
        return small.country == big.country and small.admin1 == big.admin1
    return False


def _where(doc, title_doc, title_places: list[Place],
           places: list[Place]) -> tuple[Place | None, bool]:
    """The event place, and whether it comes from the title: the headline's town when the text
    names no town of the event, or names that town too; else the text's event place."""
    x = event_place(places)
    if title_doc is None:
        return x, False
    cut = _headline_end(title_doc.text)
    names = _person_names(title_doc, doc)
    heads = [p for p in title_places if p.end <= cut and p.feature in ("city", "admin2", "admin1")
             and not _residence(title_doc, p) and normalise(p.text) not in names]
    t = next((p for p in heads if p.role == "event"), None) or next(
        (p for p in heads if p.feature == "city"), None)
    if t is None:
        return x, False
    t = _reread(t, places)
    state = _main_state(places)
    if state and t.country == "US" and t.feature in ("city", "admin2") and t.admin1 != state:
        return x, False  # a namesake in another state: the town of the story is not known here
    if x is None:
        return t, True
    if t.feature != "city":
        return x, False
    if x.feature != "city":
        inside = _inside(t, x) or x.feature == "country" or (
            # "Three dead east of Bozeman" over a "Gallatin County" read in the wrong state
            x.feature == "admin2" and t.country == "US" and x.confidence < 0.6 and any(
                e.admin1 == t.admin1 for e in get_gazetteer().county(x.name)))
        return (t, True) if inside else (x, False)
    if t.geonameid == x.geonameid:

        return x, False
    named = any(p.geonameid == t.geonameid for p in places)
    return (t, True) if named else (x, False)


# ---------------------------------------------------------------- killed, injured
_STATISTIC = re.compile(
    r"(?i)\b(?:(?:this|last|per|a|each|every|the\s+past)\s+year|so\s+far|year\s+to\s+date|since\s+"
    r"(?:january|the\s+start|the\s+beginning)|in\s+(?:19|20)\d\d|annually|statistics|on\s+average|"
    r"(?:this|last)\s+(?:month|summer|weekend)|nationwide|across\s+the\s+(?:country|nation|state)|"
    r"separate|(?:two|three|four|several|multiple|\d+)\s+(?:separate\s+)?(?:shootings|incidents|homicides)|"
    r"(?:violent|bloody|deadly|busy)\s+(?:weekend|week|night|holiday|day|24\s+hours)|"
    r"weekend\s+of\s+(?:violence|shootings))\b")
_UNRELATED = re.compile(r"(?i)\b(?:unrelated|in\s+an?\s+(?:separate|different|other)\s+"
                        r"(?:incident|shooting|case|attack))\b")
# A line of links to other stories: "RELATED ARTICLES: Toledo mother grieves ... | Judge sets ..."
_LINKS = re.compile(r"(?im)^\s*(?:related(?:\s+(?:articles?|stories|coverage|content|links?))?|"
                    r"read\s+(?:more|also)|see\s+also|more\s+(?:on\s+this|stories|news)|also\s+read|"
                    r"trending|recommended|popular|watch)\s*[:|>\u2022-]")



# A casualty mention dated this many days before the event's day tells of an earlier event
PAST_EVENT_DAYS = 30


def _dated_before(sent, q: Quantity, timexes: list[Timex], day: date | None) -> bool:
    """Does the time expression nearest to mention ``q`` in its sentence date it long before the
    event's ``day`` ("a July 2014 shooting that left a girl dead", "Jan. 5: a man shot his
    sister-in-law" in a list of the year's killings)?"""
    if day is None:
        return False
    inside = [t for t in timexes if t.type == "DATE" and t.value and sent.start_char <= t.start < sent.end_char]
    if not inside:
        return False
    nearest = min(inside, key=lambda t: max(t.start - q.end, q.start - t.end, 0))
    got = _days(nearest.value)
    return got is not None and (day - got[1]).days > PAST_EVENT_DAYS


def _about_event(doc, quantities: list[Quantity], places: list[Place] = (),
                 where: Place | None = None, names: set[str] = frozenset(),
                 timexes: list[Timex] = (), day: date | None = None) -> list[Quantity]:
    """The casualty mentions that may count this event's people, not a tally of many events
    ("104 people shot in Toledo this year", "the weekend's violence left 130 wounded") nor
    another event elsewhere ("three people were killed in Louisville" in a Dayton story) or long
    before the event's ``day`` (:func:`_dated_before`)."""
    if doc is None:
        return []
    out = []
    text = None  # doc.text joins every token: built once, and only when a casualty mention needs it
    for q in quantities:
        if q.kind != "casualties":
            continue
        if text is None:
            text = doc.text
        if _LINKS.match(text, text.rfind("\n", 0, q.start) + 1):
            continue  # a line of links to other stories
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is not None and len(span):
            sent = span.sent  # found once: each .sent walks the tokens to the sentence's ends
            sent_text = text[sent.start_char:sent.end_char]
            if _UNRELATED.search(sent_text):
                continue
            if q.value is not None and q.value > 1 and _STATISTIC.search(sent_text):
                continue
            if _elsewhere(sent, places, where, names):
                continue
            if _dated_before(sent, q, timexes, day):
                continue
        out.append(q)
    return out


# ---------------------------------------------------------------- main
def summarise(doc, *, title: str, title_doc=None, published: date | None,
              timexes: list[Timex], places: list[Place],
              quantities: list[Quantity]) -> EventSummary:
    """The event of one article: when, where, killed and injured (see the module docstring)."""
    if title_doc is not None and title_doc.text != title:
        title_doc = None
    title_timexes = find_timexes(title_doc, published) if title_doc is not None else []
    title_places = resolve_places(title_doc, outlet_country=_country_of(places)) \
        if title_doc is not None else []
    title_quantities = find_quantities(title_doc) if title_doc is not None else []

    where, from_title = _where(doc, title_doc, title_places, places)
    start, end, precision, source, evidence, when_title, when_conf = _when(
        doc, timexes, title_doc, title_timexes, published, places, title_places, where)
    in_title = ["when"] if when_title else []
    if from_title:
        in_title.append("where")
    where, part = _municipality(where, places + title_places, doc.text if doc is not None else "")

    names = _person_names(doc, title_doc)
    try:
        day = date.fromisoformat(start[:10]) if start else None
    except (TypeError, ValueError):
        day = None
    figs = event_figures(_about_event(doc, quantities, places, where, names, timexes, day),
                         title=_about_event(title_doc, title_quantities, title_places, where, names))
    ids = {id(q) for q in title_quantities}
    for name in ("killed", "injured"):
        if figs[name + "_from"] is not None and id(figs[name + "_from"]) in ids:
            in_title.append(name)
    return EventSummary(start, end, precision, source, evidence, when_conf, where, part, figs["killed"],
                        figs["injured"], figs["killed_evidence"], figs["injured_evidence"], in_title)
