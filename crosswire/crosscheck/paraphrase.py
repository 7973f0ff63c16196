"""Reported claims said in other words joined into one claim: one claim, one item.

Part of stage ``quotes.v2``. :func:`crosswire.crosscheck.quotes.match` joins the utterances whose words
are nearly the same; a reported claim (indirect speech) is reworded by each outlet ("air
measurements outside the plant did not show dangerous levels of toxic substances", "they had not
measured dangerous levels of toxic fumes outside the plant"), so each wording was a claim of its
own, single-source, and an article that repeats a claim showed it twice. :func:`join` takes the
claim clusters (quote clusters are left as they are) and joins two when they are one claim:

* their speakers can be one (:func:`crosswire.crosscheck.quotes.same_speaker`): two named people who
  differ, or two organisations that differ ("DCMR" and "port authority"), are two claims; an
  unnamed speaker fits any;
* they state the same numbers (digits or words: "12" = "twelve" = "a dozen"), the same dates (the
  date facts inside the claim, and the days and months it names where no date was read), places
  (the place facts inside it, agreeing as event places do: "Gary" and "Gary, Indiana") and named
  people and organisations (the entity facts inside it); a claim that adds or changes a figure, a
  day, a place or a party says something else;
* both are negated or neither is ("did not detect", "no sign of", "never", "without"), and not
  each has a verb the other lacks ("the fire injured the workers", "the fire killed the workers":
  one word apart, two claims; a cluster the quote matcher made of them is split);
* their content words, lemmatised by the project's spaCy model (:func:`crosswire.extract.nlp.load_nlp`),
  a synonym read as the head word of its set (:func:`synonyms`: "troops" = "soldiers", "drills" =
  "exercises", "killed" = "dead") and cut to their first ``STEM`` letters ("measurement" =
  "measured"), overlap: a Jaccard index of at least ``MIN_OVERLAP`` with at least ``MIN_LEMMAS``
  words in each;

or the words are the same after :func:`crosswire.crosscheck.quotes.words` (an exact repeat,
in one article or two). A cluster joins the first group it is a paraphrase of every member of
(no chains: A like B and B like C never joins A and C by itself). The joined claim's status then
follows from its independent outlets like any fact's.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.quotes import QuoteCluster, Utterance, fold, same_speaker, words
from crosswire.crosscheck.reconcile import merge_place
from crosswire.errors import CrosswireError

MIN_OVERLAP = 0.55  # Jaccard of two claims' content lemmas for them to be one claim (at 0.5 "he and the victim
# were in a pickup when he fired the shot" joined "he fired the shot accidentally and struck the victim", GVC train)
MIN_LEMMAS = 3     # fewer content words than this say too little to be matched in other words
STEM = 6           # lemmas compared by their first letters: derivations of one word agree

_NEGATION = frozenset("not no never none nobody nothing neither nor without cannot".split())
_NT = frozenset("did do does was were is are has have had ca could wo would should ai must need".split())
_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
          "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
          "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_DAY_NAMES = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
                        r"May|June|July|August|September|October|November|December|[Tt]oday|[Yy]esterday|[Tt]omorrow|"
                        r"[Tt]onight|[Oo]vernight)\b")


@dataclass(frozen=True)
class Gist:
    """What a claim states, as compared: its values, whether it is negated, its content lemmas."""

    numbers: frozenset[float]
    dates: frozenset[str]
    places: tuple[dict[str, Any], ...]  # the place facts' values
    actors: frozenset[str]
    negated: bool
    text: str

    @property
    def lemmas(self) -> frozenset[str]:
        return content_lemmas(self.text)


def numbers(text: str) -> frozenset[float]:
    """The numbers a text states, in digits or words ("12", "twelve", "a dozen", "2,000")."""
    out = set()
    for m in _DIGITS.finditer(text):
        raw = m.group(0)
        try:
            out.add(float(raw.replace(",", "")) if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw)
                    else float(raw.replace(",", ".")))
        except ValueError:  # "1.2.3": a version or a list, its digit runs one by one
            out.update(float(x) for x in re.findall(r"\d+", raw))
    for w in words(text):
        for part in w.split("-"):
            if part in _UNITS or part.rstrip("s") in _UNITS:
                out.add(float(_UNITS.get(part, _UNITS.get(part.rstrip("s"), 0))))
    return frozenset(out)


def negated(text: str) -> bool:
    """Whether a claim says something is not so ("did not detect", "no sign", "wasn't")."""
    return any(w in _NEGATION or (w.endswith("nt") and w[:-2] in _NT) for w in words(text))


SYNONYMS = Path(__file__).parent / "data" / "synonyms.csv"


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """Word -> the head word of its synonym set, from ``data/synonyms.csv``: a small lexicon of words
    outlets use for one another in news claims ("troops" and "soldiers", "drills" and "exercises",
    "killed" and "dead"), each set with its relation and its source (Princeton WordNet 3.0)."""
    out: dict[str, str] = {}
    with SYNONYMS.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            head, words_, source = (row.get(k) or "" for k in ("head", "words", "source"))
            members = [fold(w.strip()) for w in words_.split("|") if w.strip()]
            if not head.strip() or len(members) < 2 or "https://" not in source:
                raise CrosswireError(f"{SYNONYMS.name}:{n}: a synonym set needs a head, two or more words "
                                     f"split by '|' and an https source; fix the row")
            for w in members:
                if out.get(w, fold(head.strip())) != fold(head.strip()):
                    raise CrosswireError(f"{SYNONYMS.name}:{n}: {w!r} is already in the set of {out[w]!r}; a "
                                         f"word belongs to one set")
                out[w] = fold(head.strip())
    return out


def content_lemmas(text: str) -> frozenset[str]:
    """The content words of a text as lemmas (spaCy's tagger and lemmatizer), a synonym as its set's
    head word (:func:`synonyms`), cut to ``STEM`` letters; stop words, numbers, pronouns,
    punctuation and day names left out (they are compared as values)."""
    return _lemmas(text)[0]


def verb_lemmas(text: str) -> frozenset[str]:
    """The content lemmas of a text that are verbs: what its claim says happened."""
    return _lemmas(text)[1]


LEMMA_CACHE = 16384  # claim texts whose lemmas are kept in a process (a story is cross-checked again as it grows)
_LEMMAS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # insertion-ordered: oldest first out
_NOT_FOR_LEMMAS = ("parser", "ner", "crosswire_line_sentences")


def _lemmas(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(content lemmas, verb lemmas) of a text (see :func:`content_lemmas`), from the cache filled by
    :func:`prefetch_lemmas`."""
    got = _LEMMAS.get(text)
    if got is None:
        prefetch_lemmas([text])
        got = _LEMMAS[text]
    return got


def prefetch_lemmas(texts: list[str]) -> None:
    """Tag and lemmatise the texts not yet cached in one ``nlp.pipe`` call: the tagger runs on a batch
    instead of once a claim (the same tags: measured identical on 1,500 news sentences, at about half
    the CPU)."""
    todo = [t for t in dict.fromkeys(texts) if t not in _LEMMAS]
    if not todo:
        return
    from crosswire.extract.nlp import load_nlp

    nlp = load_nlp()
    off = [p for p in nlp.pipe_names if p in _NOT_FOR_LEMMAS]
    for text, doc in zip(todo, nlp.pipe(todo, disable=off, batch_size=64), strict=True):
        if len(_LEMMAS) >= LEMMA_CACHE:
            _LEMMAS.pop(next(iter(_LEMMAS)))
        _LEMMAS[text] = _content_of(doc)


def _content_of(doc) -> tuple[frozenset[str], frozenset[str]]:  # type: ignore[no-untyped-def]
    same = synonyms()
    out, verbs = set(), set()
    for t in doc:
        if t.is_stop or t.is_punct or t.is_space or t.like_num or t.pos_ in ("PRON", "NUM", "AUX", "DET") \
                or _DAY_NAMES.fullmatch(t.text):
            continue
        lemma = fold(t.lemma_ or t.text).strip("'-")
        if len(lemma) < 2 or lemma in _NEGATION or not any(c.isalpha() for c in lemma):
            continue
        lemma = same.get(lemma, same.get(fold(t.text), lemma))[:STEM]
        out.add(lemma)
        if t.pos_ == "VERB":
            verbs.add(lemma)
    return frozenset(out), frozenset(verbs)


def gist(u: Utterance, facts: list[dict[str, Any]]) -> Gist:
    """The values an utterance states: the facts of its article inside its span, and its text (a
    day named where no date fact was read: "Tuesday" when the day could not be resolved)."""
    inside = [f for f in facts if u.start <= f["start"] and f["end"] <= u.end and f["kind"] not in ("quote", "claim")]
    read = [f for f in inside if f["kind"] == "date" and isinstance(f.get("value"), dict) and f["value"].get("value")]
    dates = {str(f["value"]["value"]) for f in read}
    dates |= {m.group(0).lower() for m in _DAY_NAMES.finditer(u.text)
              if not any(f["start"] <= u.start + m.start() < f["end"] for f in read)}
    places = tuple(f["value"] for f in inside if f["kind"] == "place" and isinstance(f.get("value"), dict))
    actors = {fold(f["value"] if isinstance(f.get("value"), str) else f["text"]) for f in inside
              if f["kind"] == "entity" and f.get("about") in ("PERSON", "ORG")}
    return Gist(numbers(u.text), frozenset(dates), places, frozenset(actors), negated(u.text), u.text)


def places_agree(a: tuple[dict[str, Any], ...], b: tuple[dict[str, Any], ...]) -> bool:
    """Every place of each is one of the other's, or inside it or near it ("Gary" and "Gary, Indiana")."""
    return all(any(merge_place(p, q) is not None for q in b) for p in a) and \
        all(any(merge_place(q, p) is not None for p in a) for q in b)


def differ(a: Gist, b: Gist) -> bool:
    """Whether two wordings state something else: one is negated and the other not, each has a verb
    the other lacks ("the fire injured the workers", "the fire killed them"), or both give
    numbers, dates or places and those differ ("40 workers" and "60 workers"; a wording that
    leaves a figure out says no other figure)."""
    if a.negated != b.negated:
        return True
    if verb_lemmas(a.text) - b.lemmas and verb_lemmas(b.text) - a.lemmas:
        return True  # each says something happened that the other does not: "injured" and "killed"
    if any(x and y and x != y for x, y in ((a.numbers, b.numbers), (a.dates, b.dates))):
        return True
    return bool(a.places and b.places and not places_agree(a.places, b.places))


def same_claim(a: Utterance, b: Utterance, ga: Gist, gb: Gist) -> bool:
    """Whether two claims say the same thing (see the module docstring)."""
    if same_speaker(a.key, b.key) is False:
        return False  # two named people, or two organisations, who differ
    if words(a.text) == words(b.text):
        return True  # an exact repeat
    if differ(ga, gb) or (ga.numbers, ga.dates, ga.actors, bool(ga.places)) != (gb.numbers, gb.dates, gb.actors,
                                                                              bool(gb.places)):
        return False  # in other words, a claim states the same values: none added, none left out
    la, lb = ga.lemmas, gb.lemmas
    if len(la) < MIN_LEMMAS or len(lb) < MIN_LEMMAS:
        return False
    return len(la & lb) / len(la | lb) >= MIN_OVERLAP


def join(clusters: list[QuoteCluster], articles: list[StoryArticle]) -> list[QuoteCluster]:
    """The clusters with every claim said in other words (or repeated) joined into one, in the
    order of their first member; quote clusters unchanged. A claim cluster whose wordings differ
    in a number, a date, a place or a negation ("40 workers were evacuated", "60 workers were
    evacuated": :func:`crosswire.crosscheck.quotes.match` finds their words alike) is first split
    into one cluster per statement."""
    facts = {a.id: a.facts for a in articles}
    gists: dict[int, Gist] = {}

    def gist_of(u: Utterance) -> Gist:
        if id(u) not in gists:
            gists[id(u)] = gist(u, facts.get(u.article, []))
        return gists[id(u)]

    # the claims that may be compared (each member of a cluster with several, every cluster's first
    # when there are several) are lemmatised in one batch
    claims = [c for c in clusters if c.kind == "claim"]
    wanted = [m.text for c in claims if len(c.members) > 1 for m in c.members]
    if len(claims) > 1:
        wanted += [c.representative().text for c in claims]
    prefetch_lemmas(wanted)
    out: list[QuoteCluster] = []
    groups: list[list[QuoteCluster]] = []
    for c in _split(clusters, gist_of):
        if c.kind != "claim":
            out.append(c)
            continue
        rep = c.representative()
        for group in groups:
            if all(same_claim(rep, g.representative(), gist_of(rep), gist_of(g.representative())) for g in group):
                group.append(c)
                break
        else:
            group = [c]
            groups.append(group)
            out.append(c)
    joined = {id(g[0]): QuoteCluster([m for c in g for m in c.members]) for g in groups if len(g) > 1}
    return [joined.get(id(c), c) for c in out]


def _split(clusters: list[QuoteCluster], gist_of: Any) -> list[QuoteCluster]:
    """Each claim cluster as one cluster per set of stated values (see :func:`join`)."""
    out = []
    for c in clusters:
        if c.kind != "claim":
            out.append(c)
            continue
        parts: list[QuoteCluster] = []
        for m in c.members:
            part = next((p for p in parts if not any(differ(gist_of(m), gist_of(x)) for x in p.members)), None)
            if part is None:
                part = QuoteCluster()
                parts.append(part)
            part.members.append(m)
        out += parts
    return out
