"""A story's facts put into slots, one per thing the articles state, with values that compare.

Stage ``align.v3``. Needs the story's :class:`~crosswire.crosscheck.pubdates.StoryArticle` list
(facts and event records) and each article's :class:`~crosswire.crosscheck.pubdates.Dating`;
gives :class:`Slot` objects, each holding one :class:`~crosswire.crosscheck.status.Observation`
per statement and the ``merge`` that says whether two values agree.

| slot | from | agree when |
|---|---|---|
| ``date`` ``event.start`` | the ``event.when`` fact (else a date in the main event's sentence), relative wording read again when the publication day was inferred | the days overlap at their precision (a day inside a month agrees with it) |
| ``date`` ``event.end`` | a date after "until", "through", "till" in a sentence about the event | as above |
| ``time`` ``event.time`` | a clock time in a sentence where the event happens ("happened at about 6:40 a.m.") | within 15 minutes ("about") or 5 |
| ``place`` ``event.where`` | the article's most specific event place | same GeoNames id, one inside the other's country, or within 30 km |
| ``actor`` ``event.actor`` | the main event's actors ("China and Belarus": two) as countries or names | present (no conflict) |
| ``count`` ``killed``/``injured`` | casualty figures of the main event | intervals overlap ("more than 100" and "about 120": yes; "50": no) |
| ``count`` a counted noun | every count; values that differ split into separate things unless their sentences share words | as above |
| ``distance`` from a place | distances with what they are measured from (place words folded: "Polish border" = "border of Poland") | within 10 % or 2 km |
| ``name`` ``operation``/``unit``/person | "codenamed ...", "Operation ..."; military units named as organisations; each person's titles | names by rapidfuzz; titles unless two different offices ("Prime Minister" and "President") |
| ``date`` ``arrival`` | a date after "arrived", "landed", "reached", "arrival" in the same clause, in a sentence about the event; read again like the event date when the publication day was inferred (the days every inferred publication day allows, when they differ) | the days overlap |
| ``name`` ``activity`` | what the drill or training practises: the items of a list after "practise", "rehearse", "work on (issues of)", "train in" ("night landings and overcoming water barriers"), one slot per item keyed by its first two content words | present (no conflict) |
| ``claim`` ``event.first`` | "the first time", "first since ...", "have ... before" about the event | "first" (ever) conflicts with "first since" and "done before" |

A statement that is no statement of its slot carries ``detail["weak"]`` (never a side, never
corroborates) or ``detail["soft"]`` (counts with a value it fits, set aside otherwise), with its
reason (:mod:`crosswire.crosscheck.status`):

* days (:func:`date_weakness`): ``wire_dateline`` ("Oct. 27 (UPI) --"), ``relative_to_another_day``
  ("the day-after-Thanksgiving shooting"), soft ``not_the_event_sentence`` (a sentence or clause
  telling what came after: "died Saturday", "an investigation was underway Monday", "On Sunday the
  victims were reported stable");
* times: a time of another clause or a posting time ("5:29 PM EDT") is not read; soft
  ``no_am_or_pm`` ("around 10:30");
* places (:func:`place_weakness`): ``place_not_bound_to_event`` (no parse cue: a street, a hometown,
  a person's name), ``gazetteer_alias``, soft ``dateline_against_a_place_in_the_text``;
* counts (:func:`count_weakness`): ``tally_of_several_events`` ("the first of two teens killed this
  weekend"), ``tally_over_a_period`` ("14 cases since 2005"), ``inside_a_quote``,
  ``toll_before_a_death`` (a lower toll from a report written before someone died, the people hit
  being the same), soft ``vague_count`` ("a murder-suicide"), ``zero_not_stated`` (a 0 the event
  record worked out, no mention states it) and ``figure_not_stated`` (a summed figure);
  "two counts of murder" and "one count of tampering" are two slots.

Quotes and reported claims are matched in :mod:`crosswire.crosscheck.quotes`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rapidfuzz import fuzz

from crosswire.crosscheck.pubdates import (
    Dating, StoryArticle, event_days, event_statement, main_event_span, read_value, resolve, wording,
)
from crosswire.crosscheck.quotes import _demonyms, fold, same_speaker, speaker_key
from crosswire.crosscheck.status import Merge, Observation
from crosswire.crosscheck.sentences import sentence

STAGE = "align.v3"  # v3: readings that are no statement of their slot say why (weak, soft)
PLACE_KM = 30.0
TIME_ABOUT_MIN, TIME_EXACT_MIN = 15, 5
DISTANCE_REL, DISTANCE_ABS_KM = 0.10, 2.0
COUNT_CONTEXT_MIN = 0.15  # Jaccard of sentence words for two different values to be one thing
NAME_MIN = 85


@dataclass
class Slot:
    """One thing the story's articles state, and every article's statement of it."""

    key: str
    kind: str
    about: str
    merge: Merge
    observations: list[Observation] = field(default_factory=list)
    order: Callable[[Observation], Any] | None = None
    show: Callable[[Any], Any] | None = None  # a group's joint value as JSON
    presence: bool = False  # only being mentioned counts (actors, units): never a conflict


# ---------------------------------------------------------------- text helpers


_CONTENT = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
_STOP = frozenset("""the and that this with from have has had were was are been being their they them its his her
said says say told also into about over after before when where which while would could should will than then
there these those some more most other others such only just very what who whom whose how all any both each
people person year years day days week weeks month months time times according""".split())


def _stem(w: str) -> str:
    """A word's first five letters after a plural ending is taken off ("navies" = "navy")."""
    w = w.lower().replace("’", "'")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    return w[:5]


def keywords(text: str) -> set[str]:
    """Lowercase content words of a text, by :func:`_stem`."""
    return {_stem(w) for w in _CONTENT.findall(text) if w.lower() not in _STOP}


def span(aid: str, f: dict[str, Any]) -> dict[str, Any]:
    out = {"article": aid, "start": f["start"], "end": f["end"], "text": f["text"]}
    if (f.get("detail") or {}).get("span_in") == "title":
        out["in"] = "title"
    return out


# ---------------------------------------------------------------- comparing values
def merge_interval(a: tuple, b: tuple) -> tuple | None:
    """Two (low, high) intervals (None = open) that overlap -> their overlap, else None."""
    lo = max(x for x in (a[0], b[0]) if x is not None) if a[0] is not None or b[0] is not None else None
    his = [x for x in (a[1], b[1]) if x is not None]
    hi = min(his) if his else None
    if lo is not None and hi is not None and lo > hi + 1e-9:
        return None
    return lo, hi


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def merge_dates(a: tuple, b: tuple) -> tuple | None:
    """Dates at their precision: (first, last, precision) that overlap -> the overlap."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    if lo > hi:
        return None
    prec = min(a[2], b[2], key=lambda p: _PRECISION_RANK.get(p, 9))
    return lo, hi, prec


_FEATURE_RANK = {"city": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4, "continent": 5}


def merge_place(a: dict, b: dict) -> dict | None:
    """Places agree when they are one GeoNames entry, carry one name (the sources say the same
    word; the gazetteer's reading of it is no disagreement between them), one lies in the other
    (a town in its county or state, a county in its state, anything in its country), or both are
    within ``PLACE_KM`` (a district and its city); the more specific one is kept.

    The gazetteer gives a town's state (admin1) but not its county, so a county and a town of the
    same state reconcile: the town may lie in it ("Milwaukee" and "Milwaukee County")."""
    if a.get("geonameid") is not None and a.get("geonameid") == b.get("geonameid"):
        return a
    ra, rb = _FEATURE_RANK.get(a.get("feature") or "", 3), _FEATURE_RANK.get(b.get("feature") or "", 3)
    if _place_name(a) and _place_name(a) == _place_name(b) and (ra == rb or min(ra, rb) >= 1):
        return a if ra <= rb else b
    if a.get("as_written") and _place_name({"name": a["as_written"]}) == _place_name({"name": b.get("as_written")}):
        return a if ra <= rb else b  # "Salisbury" twice, read once as Harare: the sources agree
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return None
    if ra >= 4 or rb >= 4 or not a.get("country") or not b.get("country"):
        return a if ra <= rb else b
    if ra != rb and max(ra, rb) in (1, 2) and a.get("admin1") and a.get("admin1") == b.get("admin1"):
        return a if ra <= rb else b  # a town in its county or state, a county in its state
    if {ra, rb} == {0, 1} and a["country"] == "US":
        town, county = (a, b) if ra == 0 else (b, a)
        from crosswire.extract.places.gazetteer import get_gazetteer

        if any(e.admin1 == town.get("admin1") for e in get_gazetteer().county(str(county.get("name") or ""))):
            return town  # the county of that name in the town's state ("Knox County" read in another)
    if None not in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        from crosswire.extract.places.gazetteer import haversine_km

        if haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]) <= PLACE_KM:
            return a if ra <= rb else b
        return None
    if ra != rb and (ra >= 2 or rb >= 2) and a.get("admin1") in (None, b.get("admin1")):
        return a if ra <= rb else b
    return None


def _place_name(p: dict) -> str:
    from crosswire.extract.places.gazetteer import normalise

    return normalise(str(p.get("name") or ""))


def merge_clock(a: tuple, b: tuple) -> tuple | None:
    """Clock times as minute intervals, the day wrapping at midnight ("23:57" and "about midnight")."""
    for shift in (0, 1440, -1440):
        joint = merge_interval(a, (b[0] + shift, b[1] + shift))
        if joint is not None:
            return joint
    return None


def merge_equal(a: Any, b: Any) -> Any:
    return a if a == b else None


def merge_present(a: Any, b: Any) -> Any:
    """Slots where being named is all (an actor, a unit): every mention agrees."""
    return a


def merge_names(a: str, b: str) -> str | None:
    """Names that rapidfuzz finds alike (or one inside the other): the longer is kept."""
    if a == b or fuzz.ratio(a, b) >= NAME_MIN or fuzz.token_set_ratio(a, b) >= 95:
        return a if len(a) >= len(b) else b
    return None


# ---------------------------------------------------------------- titles of people
OFFICES = {"president", "minister", "premier", "chancellor", "governor", "mayor", "king", "queen", "prince",
           "secretary", "ambassador", "envoy", "commander", "chief", "director", "head", "chairman",
           "chairwoman", "chair", "spokesman", "spokeswoman", "spokesperson", "senator", "congressman",
           "congresswoman", "judge", "prosecutor", "sheriff", "ceo", "founder", "leader", "speaker", "deputy",
           "attorney", "commissioner", "superintendent", "inspector", "officer", "coach", "bishop", "pope"}
# roles one member of a police or fire service holds at once (an officer who is its spokesman)
_SERVICE_ROLES = {"officer", "spokesman", "spokeswoman", "spokesperson", "inspector", "deputy", "sergeant",
                  "detective", "trooper", "agent", "investigator"}
RANKS = {"general", "colonel", "major", "captain", "lieutenant", "sergeant", "admiral", "marshal", "corporal",
         "private", "brigadier", "commodore"}
_COMPOUND = [("prime minister", "prime_minister"), ("vice president", "vice_president"),
             ("major general", "major_general"), ("lieutenant general", "lieutenant_general"),
             ("brigadier general", "brigadier_general"), ("lieutenant colonel", "lieutenant_colonel"),
             ("foreign minister", "foreign_minister"), ("defence minister", "defense_minister"),
             ("defense minister", "defense_minister"), ("interior minister", "interior_minister"),
             ("finance minister", "finance_minister"), ("secretary general", "secretary_general"),
             ("secretary-general", "secretary_general"), ("chief executive", "ceo"),
             ("minister of defence", "defense_minister"), ("minister of defense", "defense_minister"),
             ("minister of foreign affairs", "foreign_minister"), ("minister of finance", "finance_minister")]
_TITLE_STOP = frozenset("of the for and a an in at to on by with who which is was s".split())


_AFFILIATION = re.compile(r"^(?:with|of|for|from|at)\s", re.I)


def title_tokens(title: str) -> set[str]:
    """Words of a title, folded: demonyms as countries, compound offices joined."""
    t = fold(title)
    for phrase, joined in _COMPOUND:
        t = t.replace(phrase, joined)
    dem = _demonyms()
    out = set()
    for w in re.findall(r"[a-z_]+(?:'[a-z]+)?", t):
        w = re.sub(r"'s?$", "", w)
        w = dem.get(w, w)
        if w and w not in _TITLE_STOP:
            out.add(w.replace(" ", "_"))
    return out


def _offices(tokens: set[str]) -> set[str]:
    return {t for t in tokens if t in OFFICES or "_" in t and t.split("_")[-1] in OFFICES}


def _ranks(tokens: set[str]) -> set[str]:
    """Military ranks of a title ("major_general"), a rank joined with its grade."""
    return {t for t in tokens if t in RANKS or "_" in t and t.split("_")[-1] in RANKS}


def compare_titles(a: str, b: str) -> str:
    """``same`` (one title's words inside the other's, part by part), ``compatible`` (different
    facets: a rank and an office), or ``conflict`` (two ranks, or two offices, that differ:
    "Prime Minister" vs "President"); a former office never conflicts."""
    if _AFFILIATION.match(a.strip()) or _AFFILIATION.match(b.strip()):
        return "compatible"  # "Deputy" and "with the Dearborn County Sheriff's Office": where, not what
    parts_a = [title_tokens(p) for p in re.split(r"[;,]| and ", a) if p.strip()]
    parts_b = [title_tokens(p) for p in re.split(r"[;,]| and ", b) if p.strip()]
    parts_a, parts_b = [p for p in parts_a if p], [p for p in parts_b if p]
    if not parts_a or not parts_b:
        return "compatible"
    all_a, all_b = set().union(*parts_a), set().union(*parts_b)
    if all(any(p <= q for q in parts_b) for p in parts_a) or all(any(q <= p for p in parts_a) for q in parts_b):
        return "same"
    if any(p <= all_b or (_offices(p) and _offices(p) <= all_b and len(p & all_b) >= 0.6 * len(p))
           for p in parts_a):
        return "same"
    if "former" in all_a or "former" in all_b or "ex" in all_a or "ex" in all_b:
        return "compatible"
    ra, rb = _ranks(all_a), _ranks(all_b)
    if ra and rb and not (ra & rb):
        return "conflict"  # a rank is one: "Major General" and "Colonel"
    oa, ob = _offices(all_a), _offices(all_b)
    if oa and ob and not (oa & ob) and (oa | ob) <= _SERVICE_ROLES:
        return "compatible"  # "Officer" and "police spokeswoman": one officer may speak for the force
    if oa and ob and not (oa & ob):
        base = {o.split("_")[-1] for o in oa} & {o.split("_")[-1] for o in ob}
        if not base or ({"minister"} == base and oa != ob):
            return "conflict"
    return "compatible"


def merge_titles(a: str, b: str) -> str | None:
    return None if compare_titles(a, b) == "conflict" else (a if len(a) >= len(b) else b)


# ---------------------------------------------------------------- the slots
def _event_words(articles: list[StoryArticle]) -> set[str]:
    """Words that say a sentence is about the story's event: the triggers of its main events (and
    of other events of the same CAMEO root), its actors and places (capitals and cities of the
    actors' countries count for them)."""
    words: set[str] = set()
    roots = {((f.get("value") or {}).get("cameo") or "")[:2] for a in articles for f in a.facts
             if f["kind"] == "event" and f["about"] == "main"} - {""}
    import crosswire.extract.events.cameo as cameo

    for root in roots:
        for table in (cameo.NOUNS, cameo.VERBS):
            words |= {_stem(k.split()[-1 if table is cameo.NOUNS else 0]) for k, code in table.items()
                      if code.startswith(root)}
        if root in ("14", "15", "17", "18", "19", "20"):
            words |= {_stem(w) for w in cameo.MILITARY_CONTEXT}
    for a in articles:
        for f in a.facts:
            if f["kind"] == "event" and (f["about"] == "main" or ((f.get("value") or {}).get("cameo") or "")[:2]
                                         in roots):
                trig = (f.get("detail") or {}).get("trigger")
                if trig:
                    words |= keywords(trig) | {_stem(trig)}
        for act in (a.event or {}).get("actors") or []:
            words |= keywords(act.get("text") or "")
        for p in (a.event or {}).get("where") or []:
            words |= keywords(p.get("name") or "")
    countries = set()
    for a in articles:
        for act in (a.event or {}).get("actors") or []:
            for part in _SPLIT_ACTORS.split(act.get("text") or ""):
                k = _actor_key(part)
                if k and k[0].startswith("country:"):
                    countries.add(k[0][8:])
    for a in articles:
        for f in a.facts:
            v = f.get("value")
            if f["kind"] == "place" and isinstance(v, dict) and v.get("country") in countries \
                    and v.get("feature") == "city":
                words.add(_stem(fold(f["text"])))
    return words


def _about_event(text: str, start: int, end: int, words: set[str], dem: dict[str, str]) -> bool:
    s, e = sentence(text, start, end)
    ks = keywords(text[s:e])
    ks |= {_stem(dem[w.lower()]) for w in _CONTENT.findall(text[s:e]) if w.lower() in dem}
    return bool(ks & words)


def _dates(articles: list[StoryArticle], datings: dict[str, Dating], words: set[str]) -> list[Slot]:
    start = Slot("date:event.start", "date", "event.start", merge_dates, order=_by_precision, show=_show_dates)
    end = Slot("date:event.end", "date", "event.end", merge_dates, order=_by_precision, show=_show_dates)
    dem = _demonyms()
    until = re.compile(r"\b(?:until|through|till|til|thru|to|ending(?:\s+on)?|ends?(?:\s+on)?|"
                       r"runs?\s+to)\s*(?:on\s+)?$", re.I)
    for a in articles:
        d = datings[a.id]
        st = event_statement(a)
        if st is not None:
            r = resolve(st, d)
            if r is not None:
                detail = _date_detail(r, st, d)
                why = date_weakness(a.text, st)
                if why:
                    detail["soft" if why == "not_the_event_sentence" else "weak"] = why
                start.observations.append(Observation(a.id, r, st["text"], [span(a.id, st)], [st["id"]],
                                                      detail=detail))
        for f in a.facts:
            if f["kind"] != "date" or f is st:
                continue
            before = a.text[max(0, f["start"] - 16):f["start"]]
            if not until.search(before) or not _about_event(a.text, f["start"], f["end"], words, dem):
                continue
            r = resolve(f, d, future=True)
            if r is None or r[2] not in ("day", "month"):
                continue
            end.observations.append(Observation(a.id, r, f["text"], [span(a.id, f)], [f["id"]],
                                                detail=_date_detail(r, f, d)))
            break
    first = [o for o in start.observations]
    if first:
        earliest = min(o.value[0] for o in first)
        end.observations = [o for o in end.observations if o.value[1] >= earliest]
    return [start, end]


# a sentence that tells the event happening, and one that tells something after it: a date in the
# second kind ("died Sunday", "was arraigned Tuesday", "police said Monday") is no side of a conflict
_SHOT = re.compile(r"\b(?:shot|shoot|shooting|shootings|fired|gunfire|opened\s+fire|gunshots?|stabb|attack|"
                   r"crash|explo|struck|hit\s+by)", re.I)
_LATER = re.compile(r"\b(?:court|hearing|arraign|charged|indicted|sentenc|identified|died|death|funeral|vigil|"
                    r"email|announced|said|says|autops|arrest|custody|pronounced|released|updated|posted|"
                    r"investigation|underway|condition|trial|jail|succumb|life\s+support|truce)", re.I)
# the same words just before the date, in its clause: "died Saturday of a wound suffered on Friday",
# "an investigation was underway Wednesday", "was indicted Tuesday"
_LATER_BEFORE = re.compile(r"\b(?:died|dies|succumbed|pronounced\s+dead|indicted|arraigned|charged|sentenced|"
                           r"identified|announced|said|says|told|underway|released|updated|posted|published|"
                           r"arrested|booked|held|appeared|autops(?:y|ies)|hearing|trial|funeral|vigil|"
                           r"condition|support|remains?|remained)\b[^.;:,]{0,25}$", re.I)
# or just after it, as the verb of its clause: "On Monday, Lavardo became the county's eighth gunshot
# fatality", "On Sunday, all four victims were reported stable"
_LATER_AFTER = re.compile(r"[^.;:!?]{0,40}?\b(?:died|dies|succumbed|became|(?:was|were)\s+(?:pronounced|reported|"
                          r"identified|charged|arrested|arraigned|indicted|sentenced|released|listed|taken\s+off))\b",
                          re.I)
# a wire dateline's day ("NEW HAVEN, Conn., Oct. 27 (UPI) --") is when the wire filed, not the event's
_WIRE_AFTER = re.compile(r"\s*\((?:UPI|AP|Reuters|AFP|CNN|CNS|dpa|Xinhua|AAP|PA)\)\s*[-–—]", re.I)
_RELATIVE_TO = re.compile(r"\b(?:day|night|morning|weekend|week)[- ](?:after|before)[- ]$|\beve\s+of\s+$", re.I)


def date_weakness(text: str, f: dict[str, Any]) -> str | None:
    """Why a date statement is no statement of the event's day, or None: a day in a sentence
    telling what came after the event ("died Sunday", "a hearing Tuesday", "an investigation was
    underway Monday"), a wire dateline's day, or a day named only to place another ("the
    day-after-Thanksgiving shooting")."""
    s, e = sentence(text, f["start"], f["end"])
    if _WIRE_AFTER.match(text, f["end"]) and text.count("\n", 0, f["start"]) <= 3:
        return "wire_dateline"
    if _RELATIVE_TO.search(text[max(0, f["start"] - 20):f["start"]]):
        return "relative_to_another_day"
    if not _SHOT.search(text[s:e]) and _LATER.search(text[s:e]):
        return "not_the_event_sentence"
    if _LATER_BEFORE.search(text[max(s, f["start"] - 40):f["start"]]):
        return "not_the_event_sentence"
    after = _LATER_AFTER.match(text, f["end"], min(e, f["end"] + 60))
    if after and not _SHOT.search(after[0]):
        return "not_the_event_sentence"
    return None


def _date_detail(r: tuple, f: dict, d: Dating) -> dict[str, Any]:
    """How a date was read: its precision, and whether it took the publication day the story
    implies (then it agrees with the story rather than confirming it on its own)."""
    out: dict[str, Any] = {"precision": r[2]}
    anchored = (f.get("value") or {}).get("anchored") or read_value((f.get("value") or {}).get("value")) is None
    if d.inference is not None and anchored:
        out["publication"] = "inferred"
    return out


def _by_precision(o: Observation) -> Any:
    v = o.value
    return _PRECISION_RANK.get(v[2], 9) if isinstance(v, tuple) and len(v) == 3 else 0


def _show_dates(v: tuple) -> str:
    lo, hi, prec = v
    if lo == hi:
        return lo.isoformat()
    if prec == "month":
        return lo.isoformat()[:7]
    if prec == "year":
        return lo.isoformat()[:4]
    return f"{lo.isoformat()}/{hi.isoformat()}"


_HAPPEN = re.compile(r"\b(?:happen|occur|struck|strike|hit|erupt|explod|broke\s+out|began|begin|start|took\s+place|"
                     r"went\s+off|blast|explosion|shooting|attack|crash|fire\s+broke)", re.I)
_NOT_START = re.compile(r"\b(?:control|lifted|extinguish|put\s+out|declared|reopen|alert|press\s+conference|"
                        r"briefing|arriv|woken|until|by\s+(?:about\s+)?\d|updated|vigil|funeral|memorial|"
                        r"scheduled|planned|will\s+be)", re.I)
_MERIDIEM = re.compile(r"\b[ap]\.?\s?m\b\.?|\b(?:noon|midnight|morning|afternoon|evening|night)\b|\d{2}:?\d{2}\s*(?:h|hrs|hours)\b",
                       re.I)
_ZONE = re.compile(r"\s*(?:[ECMP][SD]T|GMT|UTC)\b")
_CLAUSE_BREAK = re.compile(r"[,;(]\s*(?:where|when|which|who|whose|while|as|after|before|until)\b|[;:]|\bwhen\b", re.I)
_ABOUT = re.compile(r"\b(?:about|around|approximately|roughly|some|shortly|just|nearly|almost|circa|c\.)\s*$", re.I)
_CLOCK = re.compile(r"T(\d\d):(\d\d)")


def _times(articles: list[StoryArticle], quotes_spans: dict[str, list[tuple[int, int]]]) -> Slot:
    slot = Slot("time:event.time", "time", "event.time", merge_clock, show=_show_time)
    for a in articles:
        for f in a.facts:
            v = f.get("value") or {}
            if f["kind"] != "date" or v.get("precision") != "time":
                continue
            m = _CLOCK.search(v.get("value") or "")
            if not m or any(s <= f["start"] < e for s, e in quotes_spans.get(a.id, [])):
                continue
            s, e = sentence(a.text, f["start"], f["end"])
            sent = a.text[s:e]
            if not _HAPPEN.search(sent) or _NOT_START.search(sent) or _ZONE.match(a.text, f["end"]):
                continue  # "5:29 PM EDT": a posting time
            if not any(_same_clause(a.text[s + m.end():f["start"]] if s + m.end() <= f["start"]
                                    else a.text[f["end"]:max(f["end"], s + m.start())], s + m.end() <= f["start"])
                       for m in _HAPPEN.finditer(sent)):
                continue  # "took place in the after-hours area, where ... after 2 a.m., when ...": another clause's time
            minutes = int(m[1]) * 60 + int(m[2])
            tol = TIME_ABOUT_MIN if _ABOUT.search(a.text[max(0, f["start"] - 20):f["start"]]) else TIME_EXACT_MIN
            detail: dict[str, Any] = {"tolerance_minutes": tol}
            if not _MERIDIEM.search(f["text"]) and 1 <= int(m[1]) % 12 <= 12 and ":" in f["text"]:
                detail["soft"] = "no_am_or_pm"  # "around 10:30" last night: the half of the day is a guess
            slot.observations.append(Observation(a.id, (minutes - tol, minutes + tol), f["text"],
                                                 [span(a.id, f)], [f["id"]], shown=f"{m[1]}:{m[2]}",
                                                 detail=detail))
            break
    return slot


def _same_clause(between: str, verb_first: bool) -> bool:
    """Whether a time belongs to the clause of the verb: nothing between them opens another clause
    ("took place in the after-hours area, where patrons drink after 2 a.m."), or the clause it
    opens is closed again by a comma before the time ("hit a hall, which sits near the port, at
    about 6:40 a.m.")."""
    breaks = list(_CLAUSE_BREAK.finditer(between))
    if not breaks:
        return True
    return verb_first and "," in between[breaks[-1].end():]


def _show_time(v: tuple) -> str:
    mid = int(round((v[0] + v[1]) / 2))
    return f"{mid // 60 % 24:02d}:{mid % 60:02d}"


_DATELINE_END = re.compile(r"[^\n]{0,40}?(?:\s[-–—]+\s|\((?:AP|Reuters|AFP|CNN|WSB|KTLA)\)|\s?[-–—]{1,2}\s?[A-Z])")


_DATELINE_CITY = re.compile(r"^[A-Z][A-Z .'’-]+,\s*$")
STRONG_CUES = frozenset({"event", "locative", "police"})  # the parse binds the place to the event


def is_dateline(a: StoryArticle, p: dict[str, Any]) -> bool:
    """A place of a dateline ("GARY, Ind. —", the state too): by the cue the facts stage stored
    with the place (``detail.cue``), else (a store analysed before cues were stored) a place
    opening one of the first three lines before a dash or an agency; the state or country that
    follows a dateline's city in capitals ("SHELBY, N.Y. (WIVB)") is part of it."""
    start, end = p.get("start"), p.get("end")
    if start is None or end is None or p.get("in") == "title":
        return False
    line_start = a.text.rfind("\n", 0, start) + 1
    before = a.text[line_start:start]
    if a.text.count("\n", 0, line_start) < 3 and _DATELINE_CITY.match(before) and before.strip(" ,").isupper():
        return True
    detail = p.get("detail") or {}
    if isinstance(detail, dict) and "via" in detail:
        return detail.get("cue") == "dateline"
    if before.strip() or a.text.count("\n", 0, line_start) >= 3:
        return False
    return bool((p.get("text") or "").isupper() or _DATELINE_END.match(a.text, end))


def place_weakness(a: StoryArticle, f: dict[str, Any]) -> str | None:
    """Why a place fact is no statement of where the event happened, or None: a name the parse
    does not bind to the event (a street, a hometown, a person's name: no cue) or a gazetteer
    alias ("the Oklahoma Department of ..." read as Oklahoma City). A dateline is weighed
    against the story's other readings (:func:`_places`)."""
    detail = f.get("detail") or {}
    if not isinstance(detail, dict) or "via" not in detail or f.get("in") == "title":
        return None  # a store analysed before cues were stored: every reading counts
    if is_dateline(a, f):
        return None
    if detail.get("via") == "alias":
        return "gazetteer_alias"
    if detail.get("cue") not in STRONG_CUES:
        return "place_not_bound_to_event"
    return None


def _places(articles: list[StoryArticle], voted: list[dict[str, Any]] | None = None) -> Slot:
    """Each article's event place: the most specific place the parse binds to the event, else its
    dateline, else any other (those weak). A dateline (the outlet's or station's town) is weak
    when another source binds a place to the event in the text. ``voted``: the story's event
    place as :func:`crosswire.crosscheck.event.vote_where` gives it (voted here when not given)."""
    slot = Slot("place:event.where", "place", "event.where", merge_place,
                order=lambda o: _FEATURE_RANK.get(o.value.get("feature") or "", 3), show=_show_place)
    for a in articles:
        cands = [f for f in a.facts if f["kind"] == "place" and f["about"] == "event.where"]
        if not cands:
            continue

        def rank(f: dict[str, Any]) -> tuple:
            weak = place_weakness(a, f)
            return (2 if weak else 1 if is_dateline(a, f) else 0,
                    _FEATURE_RANK.get((f["value"] or {}).get("feature") or "", 3), f["start"])
        f = min(cands, key=rank)
        value = dict(f["value"])
        value["as_written"] = f["text"]
        detail: dict[str, Any] = {"dateline": is_dateline(a, f)}
        weak = place_weakness(a, f)
        if weak:
            detail["weak"] = weak
        slot.observations.append(Observation(a.id, value, f["text"], [span(a.id, f)], [f["id"]], detail=detail))
    _read_as_the_story(slot.observations, articles, voted)
    bound = {o.article for o in slot.observations if not o.detail.get("dateline") and not o.detail.get("weak")}
    # the station's town agrees with the place the text gives, or is set aside
    for o in slot.observations:
        if o.detail.get("dateline") and bound - {o.article}:
            o.detail["soft"] = "dateline_against_a_place_in_the_text"
    return slot


def _read_as_the_story(observations: list[Observation], articles: list[StoryArticle],
                       voted: list[dict[str, Any]] | None = None) -> None:
    """A town name one report leaves bare ("Police in Salisbury") is read as the story's event
    place reads it (:func:`crosswire.crosscheck.event.vote_where`: "SALISBURY, N.C." in another
    report), not as the gazetteer's biggest town of that name abroad: one vote serves the event and
    its place fact."""
    if voted is None:
        from crosswire.crosscheck.event import vote_where

        voted = vote_where(articles, None)
    if not voted or voted[0].get("geonameid") is None:
        return
    story = voted[0]
    for o in observations:
        v = o.value
        same = {_place_name({"name": v.get("as_written")}), _place_name(v)} & {_place_name(story)}
        if same and v.get("geonameid") != story["geonameid"] and v.get("feature") == story.get("feature"):
            o.value = {**v, **{k: story.get(k) for k in ("name", "geonameid", "country", "lat", "lon", "admin1")},
                       "read_as": "story_place"}


def _show_place(v: dict) -> dict:
    return {k: v.get(k) for k in ("name", "geonameid", "country", "lat", "lon", "feature", "admin1")}


_NUMBER_WORD = re.compile(r"^(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
                          r"hundreds?|thousands?|several|many|some|few)\b", re.I)
_SPLIT_ACTORS = re.compile(r"\s*(?:,|&|\band\b|\bwith\b)\s*", re.I)


def _actor_key(text: str) -> tuple[str, str] | None:
    """(key, name) of one actor as written: a country (from a name or demonym), else its words."""
    from crosswire.extract.places.gazetteer import get_gazetteer

    t = re.sub(r"^(?:the|a|an)\s+|['’]s$", "", text.strip(), flags=re.I).strip(" .")
    if not t or not t[:1].isalpha() or _NUMBER_WORD.match(t):
        return None  # "seven", "two workers": victims counted, not actors named
    g = get_gazetteer()
    e = g.country(t)
    if e is None:
        code = g.demonym(t.split()[0]) if t.split() else None
        e = g.country(code) if code else None  # "Chinese troops": China
    if e is not None:
        return f"country:{e.country}", e.name
    if any(x.feature != "country" for x, _ in g.lookup(t)):
        return None  # a place ("Crete"), not an actor
    if len(t) < 3 or t.lower() in {"he", "she", "they", "it", "we", "police", "officials"}:
        return None
    return f"actor:{fold(t)}", t


_PRONOUNS = frozenset("""i me my myself we us our ourselves you your yourself yourselves he him his himself she her
hers herself it its itself they them their themselves one oneself someone somebody something anyone anybody anything
everyone everybody everything no-one nobody nothing who whom whoever this that these those""".split()) | {"no one"}


def _not_actor(text: str) -> str | None:
    """Why an event actor as written is no actor to list: a pronoun ("herself", "someone"), or a
    common noun in lower case ("blaze": a thing, not a named party). None when it is one."""
    t = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I).strip(" .,'’\"")
    if not t:
        return None
    if t.lower() in _PRONOUNS:
        return "pronoun_actor"
    if t == t.lower() and " " not in t and t.isalpha() and not _NUMBER_WORD.match(t):
        return "common_noun_actor"
    return None


def _actors(articles: list[StoryArticle]) -> list[Slot]:
    slots: dict[str, Slot] = {}
    for a in articles:
        for act in (a.event or {}).get("actors") or []:
            for part in _SPLIT_ACTORS.split(act.get("text") or ""):
                junk = _not_actor(part)
                if junk:
                    found = _actor_source(a, "actor:", part, act)
                    if found is not None:  # recorded, then dropped with its reason by the record
                        slot = slots.setdefault("actor:dropped", Slot("actor:dropped", "actor", "event.actor",
                                                                      merge_present, presence=True))
                        slot.observations.append(Observation(a.id, part.strip(), found[0]["text"], [found[0]],
                                                             found[1], detail={"drop": junk}))
                    continue
                k = _actor_key(part)
                if k is None:
                    continue
                key, name = k
                found = _actor_source(a, key, part, act)
                if found is None:
                    continue
                src, fids = found
                slot = slots.setdefault(key, Slot(f"actor:{key}", "actor", "event.actor", merge_present,
                                                  presence=True, show=lambda v: v))
                if all(o.article != a.id for o in slot.observations):
                    slot.observations.append(Observation(a.id, name, src["text"], [src], fids,
                                                         detail={"as_written": part.strip()}))
    return list(slots.values())


def _actor_source(a: StoryArticle, key: str, part: str, act: dict) -> tuple[dict, list[str]] | None:
    """Where the article names an actor: a place or entity fact in the main event's sentence (or
    anywhere in the body), else the actor's own span (in the headline when it is there)."""
    ev = main_event_span(a)
    facts = [f for f in a.facts if f["kind"] in ("place", "entity")]
    if ev is not None:
        facts.sort(key=lambda f: (not (ev[0] <= f["start"] < ev[1]), f["start"]))
    for f in facts:
        if key.startswith("country:"):
            v = f.get("value")
            country = (v or {}).get("country") if isinstance(v, dict) else None
            if f["kind"] == "place" and (v or {}).get("feature") == "country" and country == key[8:]:
                return span(a.id, f), [f["id"]]
        elif fold(f["text"]) == fold(part.strip()):
            return span(a.id, f), [f["id"]]
    start, end = act.get("start"), act.get("end")
    if start is None or end is None:
        return None
    source_text = a.title if act.get("source") == "title" else a.text
    off = (act.get("text") or "").find(part.strip())
    if off < 0:
        return None
    s, e = start + off, start + off + len(part.strip())
    out = {"article": a.id, "start": s, "end": e, "text": source_text[s:e]}
    if act.get("source") == "title":
        out["in"] = "title"
    return out, []


def _casualties(articles: list[StoryArticle]) -> list[Slot]:
    """Each article's killed and injured figures as its event record gives them: a person reported
    dead is not also counted injured (the injured are the people hit less the killed, as
    :mod:`crosswire.crosscheck.event` counts them; a report that gives no toll or a lower one
    while most reports of the story give one, and was not published after all of them, counts
    the people hit before some died, so the difference is taken off its injured figure and its
    toll is ``toll_before_a_death``); the spans are the mentions that state them."""
    slots = {k: Slot(f"count:{k}", "count", k, merge_interval, order=_narrow_first, show=_show_interval)
             for k in ("killed", "injured")}
    tolls = Counter(int(k) for a in articles if not a.duplicate_of
                    and isinstance(k := (a.event or {}).get("killed"), int | float) and not isinstance(k, bool))
    dead = max(tolls, key=lambda k: (tolls[k], k)) if tolls else 0  # the toll most reports give
    toll_days = [a.day for a in articles if (a.event or {}).get("killed") == dead and a.day is not None]
    for a in articles:
        quoted = [(f["start"], f["end"]) for f in a.facts if f["kind"] == "quote"]
        ev = dict(a.event or {})
        i, kd = ev.get("injured"), ev.get("killed")
        before_death = False
        if dead and _number(i) and (kd is None or _number(kd) and kd < dead) and i >= dead - (kd or 0) \
                and not (a.day is not None and toll_days and a.day > max(toll_days)):
            # a report written before a death counts the dying among the hurt: those the story's
            # toll counts dead are not injured, and its lower toll is the toll as it stood then
            ev["injured"] = i - (dead - (kd or 0))
            before_death = True
        stated = {k: [f for f in a.facts if f["kind"] == "casualties" and f["about"] == k and f.get("role") == "event"]
                  for k in slots}
        for k, slot in slots.items():
            fs = stated[k]
            if not fs:
                continue
            figure = ev.get(k)
            if not isinstance(figure, int | float) or isinstance(figure, bool):
                obs = _interval_obs(a.id, fs[0])
                why = count_weakness(a.text, fs[0], quoted)
                if why:
                    obs.detail["soft" if why == "vague_count" else "weak"] = why
                slot.observations.append(obs)
                continue
            f = next((x for x in fs if (x.get("value") or {}).get("value") == figure), fs[0])
            obs = _interval_obs(a.id, f)
            why = count_weakness(a.text, f, quoted)
            if why:
                obs.detail["soft" if why == "vague_count" else "weak"] = why
            elif k == "killed" and before_death:
                obs.detail["weak"] = "toll_before_a_death"
            elif figure == 0 and (f.get("value") or {}).get("value") != 0:
                # "a boy was shot and killed" implies no one was hurt; it never outweighs a figure
                obs.detail["soft"] = "zero_not_stated"
            elif all((x.get("value") or {}).get("value") != figure for x in fs):
                # a figure the event record summed or subtracted ("four shot, one died": three
                # injured), stated by no mention: it counts with a figure it fits, never against one
                obs.detail["soft"] = "figure_not_stated"
            if k == "injured" and ev.get("injured") != (a.event or {}).get("injured"):
                obs.detail["reported_dead_elsewhere"] = dead
            if (f.get("value") or {}).get("value") != figure:
                # the figure the article's event record settled on: e.g. "two shot" and "one died"
                # make one injured; the killed mention is a source of it too
                obs.value = (figure, figure)
                obs.shown = {"value": figure, "low": figure, "high": figure, "qualifier": None}
                obs.detail["as_written"] = f["text"]
                other = "killed" if k == "injured" else "injured"
                for x in stated[other][:1]:
                    obs.sources.append(span(a.id, x))
                    obs.facts.append(x["id"])
            slot.observations.append(obs)
    return list(slots.values())


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


_TALLY = re.compile(r"\b(?:first|second|third|fourth|fifth|sixth|latest|last|\d+(?:st|nd|rd|th))\s+of\s+(?:the\s+)?$", re.I)
_COUNT_WORD = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
                         r"hundreds?|thousands?|both|all|no|none|nobody|couple|pair|several|many)\b", re.I)


_INCIDENT_NOUNS = frozenset(_stem(w) for w in "case shooting homicide death killing murder incident attack crime "
                                                "victim fatality accident".split())
_PERIOD = re.compile(r"\bsince\s+(?:\d{4}\b|(?:January|February|March|April|May|June|July|August|September|October|"
                     r"November|December)\b)|\b(?:in|over|during|for)\s+the\s+(?:past|last|previous)\s+(?:[\w/.-]+\s+)?"
                     r"(?:years?|months?|decades?)\b|\b(?:this|last)\s+year\b|\bso\s+far\s+(?:this|in)\b", re.I)


def count_weakness(text: str, f: dict[str, Any], quoted: list[tuple[int, int]] | None = None) -> str | None:
    """Why a count mention is no statement of the event's figure, or None: a tally of several
    events ("the second of two teens killed this weekend") or over a period ("14 cases since
    2005"), words inside a quotation ("somebody's child got shot"), or a figure with no number
    or count word that only bounds it ("a murder-suicide": at least two)."""
    if _TALLY.search(text[max(0, f["start"] - 30):f["start"]]):
        return "tally_of_several_events"
    s, e = sentence(text, f["start"], f["end"])
    if _PERIOD.search(text[s:e]):
        return "tally_over_a_period"
    if any(qs <= f["start"] and f["end"] <= qe for qs, qe in quoted or []):
        return "inside_a_quote"
    v = f.get("value") or {}
    if v.get("high") is None and v.get("low") is not None and not _COUNT_WORD.search(f.get("text") or ""):
        return "vague_count"
    return None


def _interval_obs(aid: str, f: dict, context: str = "") -> Observation:
    v = f["value"] or {}
    lo, hi = v.get("low"), v.get("high")
    if lo is None and hi is None and v.get("value") is not None:
        lo = hi = v["value"]
    shown = {"value": v.get("value"), "low": v.get("low"), "high": v.get("high"), "qualifier": v.get("qualifier")}
    return Observation(aid, (lo, hi), f["text"], [span(aid, f)], [f["id"]], shown=shown, context=context)


def _narrow_first(o: Observation) -> Any:
    lo, hi = o.value
    return (lo is None or hi is None, (hi - lo) if lo is not None and hi is not None else 0)


def _show_interval(v: tuple) -> dict:
    lo, hi = v
    return {"value": lo if lo == hi else None, "low": lo, "high": hi}


def _counts(articles: list[StoryArticle]) -> list[Slot]:
    slots: dict[str, Slot] = {}
    for a in articles:
        seen = set()
        for f in a.facts:
            if f["kind"] != "count":
                continue
            v = f["value"] or {}
            if v.get("low") is None and v.get("value") is None:
                continue
            key = (f["about"], v.get("low"), v.get("high"))
            if key in seen:
                continue
            seen.add(key)
            s, e = sentence(a.text, f["start"], f["end"])
            ctx = a.text[s:f["start"]] + " " + a.text[f["end"]:e]
            about = str(f["about"])
            charge = _CHARGE.match(a.text, f["end"]) if about.lower() in _CHARGE_NOUNS else None
            if charge:  # "two counts of murder" and "one count of tampering": two different charges
                about = f"{about} of {' '.join(_stem(w) for w in _CONTENT.findall(charge[1]) if w.lower() not in _STOP)}"
            slot = slots.setdefault(about, Slot(f"count:{about}", "count", about, merge_interval,
                                                order=_narrow_first, show=_show_interval))
            obs = _interval_obs(a.id, f, ctx)
            if _BACKGROUND.search(a.text[s:e]) and str(f["about"]).lower() in _BACKGROUND_ABOUT:
                obs.detail["drop"] = "background_figure"  # "a city of 20,000 people": not the event's
            elif _TALLY.search(a.text[max(0, f["start"] - 30):f["start"]]) or (
                    _stem(about) in _INCIDENT_NOUNS and _PERIOD.search(a.text[s:e])):
                obs.detail["weak"] = "tally_over_a_period"  # "14 cases since 2005": not this event's
            slot.observations.append(obs)
    return list(slots.values())


_CHARGE_NOUNS = frozenset({"count", "counts", "charge", "charges"})
_CHARGE = re.compile(r"\s+(?:each\s+)?of\s+((?:(?!and\b|or\b|with\b|in\b)[\w'’-]+\s*){1,4})", re.I)
_BACKGROUND = re.compile(r"\b(?:population|inhabitants|home\s+to|a\s+(?:city|town|village|county)\s+of)\b", re.I)
_BACKGROUND_ABOUT = frozenset({"people", "population", "residents", "inhabitants", "person", "citizens"})


def split_by_context(slot: Slot, groups: list[list[Observation]]) -> list[list[Observation]]:
    """Groups of a count slot whose values differ are one thing only when their sentences share
    words; a group that shares none with the leading group is a thing of its own."""
    if len(groups) < 2:
        return [sum(groups, [])]
    lead, rest = groups[0], groups[1:]
    lead_words = [keywords(o.context) - keywords(slot.about) for o in lead]
    same, apart = list(lead), []
    for g in rest:
        best = 0.0
        for o in g:
            ko = keywords(o.context) - keywords(slot.about)
            for kl in lead_words:
                if ko and kl:
                    best = max(best, len(ko & kl) / len(ko | kl))
        (same.extend(g) if best >= COUNT_CONTEXT_MIN else apart.append(g))
    return [same] + apart


_DIST_STOP = frozenset("the a an of with from to near and s".split())


def distance_key(places: list[str]) -> str:
    """What a distance is measured from, folded: demonyms as countries, words sorted."""
    dem = _demonyms()
    words = []
    for p in places:
        for w in re.findall(r"[a-z]+", fold(p).replace("'s", "")):
            w = dem.get(w, w)
            if w not in _DIST_STOP:
                words.append(w)
    return " ".join(sorted(set(words)))


def _distances(articles: list[StoryArticle]) -> list[Slot]:
    slots: dict[str, Slot] = {}
    for a in articles:
        for f in a.facts:
            if f["kind"] != "distance":
                continue
            places = (f.get("detail") or {}).get("places") or []
            v = f["value"] or {}
            if not places or (v.get("low") is None and v.get("value") is None):
                continue
            key = distance_key(places)
            if not key:
                continue
            for k in slots:
                if fuzz.token_set_ratio(k, key) >= 90:
                    key = k
                    break
            lo = v.get("low") if v.get("low") is not None else v.get("value")
            hi = v.get("high") if v.get("qualifier") != "vague" else None
            lo2 = None if lo is None else max(0.0, min(lo * (1 - DISTANCE_REL), lo - DISTANCE_ABS_KM))
            hi2 = None if hi is None else max(hi * (1 + DISTANCE_REL), hi + DISTANCE_ABS_KM)
            slot = slots.setdefault(key, Slot(f"distance:{key}", "distance", f"from {', '.join(places)}",
                                              merge_interval, order=_narrow_first, show=_show_km))
            if any(o.article == a.id for o in slot.observations):
                continue
            slot.observations.append(Observation(a.id, (lo2, hi2), f["text"], [span(a.id, f)], [f["id"]],
                                                 shown={"km": v.get("value"), "low": v.get("low"),
                                                        "high": v.get("high"), "qualifier": v.get("qualifier")},
                                                 detail={"places": places}))
    return list(slots.values())


def _show_km(v: tuple) -> dict:
    lo, hi = v
    return {"low_km": round(lo, 1) if lo is not None else None, "high_km": round(hi, 1) if hi is not None else None}


_OPERATION = re.compile(r"\b(?:code-?named|dubbed)\s+['\"“‘]?((?:Operation|Exercise)\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})"
                        r"|\b(Operation|Exercise)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")
_UNIT_WORDS = frozenset("army command brigade division regiment battalion corps forces fleet unit squadron guard "
                        "navy marines battalions brigades".split())


def _names(articles: list[StoryArticle]) -> list[Slot]:
    op = Slot("name:operation", "name", "operation", merge_names, show=lambda v: v)
    units: list[Slot] = []
    for a in articles:
        for m in _OPERATION.finditer(a.text):
            name = m.group(2) or m.group(4)
            s, e = (m.start(2), m.end(2)) if m.group(2) else (m.start(4), m.end(4))
            if any(o.article == a.id for o in op.observations):
                continue
            op.observations.append(Observation(a.id, fold(name), name, [{"article": a.id, "start": s, "end": e,
                                                                        "text": a.text[s:e]}], shown=name))
        for f in a.facts:
            if f["kind"] != "entity" or f["about"] != "ORG":
                continue
            name = f["value"] if isinstance(f["value"], str) else f["text"]
            toks = set(re.findall(r"[a-z]+", fold(name)))
            if not toks & _UNIT_WORDS or "ministry" in toks:
                continue
            key = fold(name)
            for slot in units:
                if any(fuzz.ratio(o.value, key) >= NAME_MIN for o in slot.observations):
                    break
            else:
                slot = Slot(f"name:unit:{key}", "name", "unit", merge_present, presence=True, show=lambda v: v)
                units.append(slot)
            if any(o.article == a.id for o in slot.observations):
                continue
            slot.observations.append(Observation(a.id, key, name, [span(a.id, f)], [f["id"]], shown=name))
    return [op] + _partly(units)


def _partly(units: list[Slot]) -> list[Slot]:
    """A unit named in full ("People's Liberation Army Northern Command") says the larger one it
    belongs to ("People's Liberation Army") too, so it counts for that one; the reverse does not
    hold: an outlet naming only the army never corroborates the command (that stays single-source
    unless another outlet names it in full)."""
    for slot in units:
        words = set(slot.observations[0].value.split())
        for other in units:
            if other is slot:
                continue
            if words < set(other.observations[0].value.split()):
                seen = {o.article for o in slot.observations}
                extra = [Observation(o.article, slot.observations[0].value, o.text, o.sources, o.facts, shown=o.shown,
                                     detail={"named_within": o.shown})
                         for o in other.observations if o.article not in seen]
                slot.observations += extra
    return units


_NOT_TITLE = re.compile(r"^(?:which|who|that|whose|where)\b", re.I)  # a relative clause, not a title


def person_titles(a: StoryArticle) -> list[tuple[str, str, dict[str, Any], list[str], str]]:
    """(person key, name, source span, fact ids, title) for each title the article gives a person
    (titles joined with ";" count one by one)."""
    out = []
    seen = set()
    orgs = {fold(f["text"]) for f in a.facts if f["kind"] == "entity" and f["about"] == "ORG"}
    for f in a.facts:
        if f["kind"] == "entity" and f["about"] == "PERSON":
            name = f["value"] if isinstance(f["value"], str) else f["text"]
            title = (f.get("detail") or {}).get("title")
            s, e = f["start"], f["end"]
        elif f["kind"] in ("quote", "claim") and (f.get("value") or {}).get("speaker_kind") == "person":
            v = f["value"]
            name, title = v.get("speaker"), v.get("speaker_title")
            sp = (f.get("detail") or {}).get("speaker_span")
            if not sp:
                continue
            s, e = sp
        else:
            continue
        key = speaker_key(name, "person")
        if not title or key is None or fold(name) in orgs:
            continue
        for part in re.split(r";\s*", title):
            part = part.strip()
            if not part or (key, fold(part)) in seen or _NOT_TITLE.match(part):
                continue
            seen.add((key, fold(part)))
            src = _title_span(a.text, part, s, e)
            out.append((key, name, {"article": a.id, **src}, [f["id"]], part))
    return out


def _title_span(text: str, title: str, s: int, e: int) -> dict[str, Any]:
    """The span covering a name and its title when the title is written within 200 characters."""
    window_start = max(0, s - 200)
    i = text[window_start:e + 200].lower().find(title.lower())
    if i >= 0:
        ts = window_start + i
        lo, hi = min(s, ts), max(e, ts + len(title))
        if hi - lo <= len(title) + (e - s) + 40:
            return {"start": lo, "end": hi, "text": text[lo:hi]}
    return {"start": s, "end": e, "text": text[s:e]}


def _people(articles: list[StoryArticle]) -> list[Slot]:
    slots: list[tuple[str, Slot]] = []
    for a in articles:
        for key, name, src, fids, title in person_titles(a):
            for k, slot in slots:
                if same_speaker(k, key):
                    break
            else:
                slot = Slot(f"name:person:{key[2:]}", "name", f"person:{name}", merge_titles, show=lambda v: v)
                slots.append((key, slot))
            if len(name) > len(slot.about) - 7:
                slot.about = f"person:{name}"
            slot.observations.append(Observation(a.id, title, src["text"], [src], fids, shown=title,
                                                 detail={"person": name}))
    return [s for _, s in slots]


_FIRST = re.compile(r"\b(?:(?:the|its|their|a|his|her)\s+first[- ](?:time|ever)\b|for\s+the\s+first\s+time\b|"
                    r"\bfirst-ever\b|\bunprecedented\b|\bnever\s+before\b)", re.I)
_SINCE = re.compile(r"\bsince\s+([^,.;]{3,80})", re.I)
_BEFORE = re.compile(r"\b(?:has|have|had)\b(?:(?!\b(?:not|never)\b)[^.;!?]){0,100}?\bbefore\b"
                     r"(?=\s*(?:[,.;!?]|but\b|and\b|\[|$))|\bnot\s+the\s+first\b|\bprevious(?:ly)?\s+(?:held|conducted|"
                     r"staged|taken\s+part)", re.I)


def merge_novelty(a: str, b: str) -> str | None:
    """"first" (ever) conflicts with "first since ..." and "done before"; those two agree."""
    if a == b:
        return a
    if {a, b} == {"first_since", "not_first"}:
        return "not_first"
    return None


def _novelty(articles: list[StoryArticle], words: set[str]) -> Slot:
    slot = Slot("claim:event.first", "claim", "event.first", merge_novelty, show=lambda v: v)
    dem = _demonyms()
    for a in articles:
        found: list[tuple[str, int, int]] = []
        for m in _FIRST.finditer(a.text):
            if re.search(r"\bnot\s+(?:for\s+)?$", a.text[max(0, m.start() - 12):m.start()], re.I):
                continue  # "not the first time": the _BEFORE reading
            s, e = sentence(a.text, m.start(), m.end())
            since = _SINCE.search(a.text, m.end(), e)
            found.append(("first_since" if since else "first", s, e))
        for m in _BEFORE.finditer(a.text):
            s, e = sentence(a.text, m.start(), m.end())
            found.append(("not_first", s, e))
        for value, s, e in sorted(found, key=lambda x: x[1]):
            if not _about_event(a.text, s, e, words, dem):
                continue
            text = a.text[s:e].strip()
            lead = len(a.text[s:e]) - len(a.text[s:e].lstrip())
            src = {"article": a.id, "start": s + lead, "end": s + lead + len(text), "text": text}
            if any(o.article == a.id and o.value == value for o in slot.observations):
                continue
            slot.observations.append(Observation(a.id, value, text, [src], shown=value))
    return slot


_ARRIVAL = re.compile(r"\b(?:arriv(?:ed|es|ing|al)|landed|touched\s+down|reached)\b[^.;:!?]{0,60}?"
                      r"(?:\b(?:on|in|at|by)\s+)?$", re.I)


def _arrivals(articles: list[StoryArticle], datings: dict[str, Dating], words: set[str]) -> Slot:
    """ "Beijing's troops arrived in the country on Saturday": the day of an arrival."""
    slot = Slot("date:arrival", "date", "arrival", merge_dates, order=_by_precision, show=_show_dates)
    dem = _demonyms()
    for a in articles:
        d = datings[a.id]
        for f in a.facts:
            if f["kind"] != "date" or not _ARRIVAL.search(a.text[max(0, f["start"] - 80):f["start"]]):
                continue
            s, _ = sentence(a.text, f["start"], f["end"])
            if not _ARRIVAL.search(a.text[max(s, f["start"] - 80):f["start"]]):
                continue  # the verb belongs to the sentence before
            if not _about_event(a.text, f["start"], f["end"], words, dem):
                continue
            r = resolve(f, d)
            detail = _date_detail(r, f, d) if r is not None else {}
            if r is None:
                r = _inferred_days(f, d)
                if r is None:
                    continue
                detail = {"precision": "range", "publication": "inferred"}
            slot.observations.append(Observation(a.id, r, f["text"], [span(a.id, f)], [f["id"]], detail=detail))
            break
    return slot


def _inferred_days(f: dict[str, Any], d: Dating) -> tuple | None:
    """The days relative wording ("on Saturday") allows over an inferred range of publication days
    (at most a month), when they differ: (first, last, "range")."""
    kind = wording(f.get("text", ""))
    if kind is None or kind[0] == "absolute" or d.low is None or d.high is None or (d.high - d.low).days > 31:
        return None
    days = {x for i in range((d.high - d.low).days + 1) for x in event_days(kind, d.low + timedelta(days=i))}
    return (min(days), max(days), "range") if days else None


_PRACTISE = re.compile(r"\b(?:practi[cs](?:e|es|ed|ing)|rehears(?:e|es|ed|ing|al\s+of)|work(?:ed|ing)?\s+on"
                       r"(?:\s+(?:issues|elements|tasks)\s+of)?|train(?:ed|ing)?\s+(?:in|for))\s+"
                       r"(?P<list>[^.;:!?\"“”]{4,200})", re.I)
_ITEM_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|as\s+well\s+as)\s+", re.I)
_ITEM_TAIL = re.compile(r"\s+(?:with|alongside|together|at|during|near|from|under)\b.*$", re.I)


def _activities(articles: list[StoryArticle]) -> list[Slot]:
    """What a drill practises, item by item: "night landing", "overcoming water obstacles"."""
    slots: dict[str, Slot] = {}
    for a in articles:
        for m in _PRACTISE.finditer(a.text):
            pos = m.start("list")
            for raw in _ITEM_SPLIT.split(m["list"]):
                start = a.text.index(raw, pos) if raw else pos
                pos = start + len(raw)
                item = _ITEM_TAIL.sub("", raw).strip()
                words = [w for w in _CONTENT.findall(item) if w.lower() not in _STOP]
                if not 2 <= len(item.split()) <= 6 or len(words) < 2 or not item[:1].islower():
                    continue
                key = " ".join(_stem(w) for w in words[:2])
                slot = slots.setdefault(key, Slot(f"name:activity:{key}", "name", "activity", merge_present,
                                                  presence=True, show=lambda v: v))
                if any(o.article == a.id for o in slot.observations):
                    continue
                src = {"article": a.id, "start": start, "end": start + len(item), "text": item}
                slot.observations.append(Observation(a.id, item, item, [src], shown=item))
    return list(slots.values())


def build_slots(articles: list[StoryArticle], datings: dict[str, Dating],
                voted_place: list[dict[str, Any]] | None = None) -> list[Slot]:
    """Every slot of a story (see the module docstring), slots without statements left out
    (``voted_place``: the story's event place voted once by the caller, see :func:`_places`)."""
    words = _event_words(articles)
    quote_spans = {a.id: [(f["start"], f["end"]) for f in a.facts if f["kind"] == "quote"] for a in articles}
    slots: list[Slot] = []
    slots += _dates(articles, datings, words)
    slots.append(_arrivals(articles, datings, words))
    slots.append(_times(articles, quote_spans))
    slots.append(_places(articles, voted_place))
    slots += _actors(articles)
    slots += _casualties(articles)
    slots += _counts(articles)
    slots += _distances(articles)
    slots += _names(articles)
    slots += _activities(articles)
    slots += _people(articles)
    slots.append(_novelty(articles, words))
    return [s for s in slots if s.observations]


def day_of(value: Any) -> date | None:
    return value[0] if isinstance(value, tuple) and len(value) == 3 and value[0] == value[1] else None
