"""Named entities of an article, with spaCy's known misses on news repaired by rules and word lists.

Stage ``entities.v1``. Input: a Doc from :func:`crosswire.extract.nlp.load_nlp` (sentences already
break at line breaks). Output: one ``entity`` fact per person, organisation, group (NORP), place,
facility or event name, ``about`` its label and ``value`` its normalised name. Repairs:

* social networks and news agencies are organisations, never people or places ("Telegram",
  "X", "Xinhua", "Reuters");
* a title glued to a name is split off: "Chief of the Special Operations Command of Belarus'
  Armed Forces Vadim Denisenko" is the PERSON "Vadim Denisenko" with that title in ``detail``;
  a person entity that is only a title ("Defense Minister") is dropped with a reason;
* entities that the place resolver read as places take the place's label (``GPE``), and
  entities that are number-like or one letter are dropped with a reason;
* a citation marker copied from a reference work splits a name from the title before it
  ("Alaska Gov.[14] Sarah Palin": "Sarah Palin"); a person entity that is then only a title or
  place before a marker ("Alaska Gov.[3][4") is dropped with the reason ``title_without_name``.
"""

from __future__ import annotations

import re

from crosswire.models import Discard, Fact
from crosswire.extract.places.gazetteer import get_gazetteer
from crosswire.extract.quotes.speakers import MEDIA, MEDIA_WORDS, ORG_WORDS, PARTICLES, PLATFORMS, TITLE_WORDS

STAGE = "entities.v1"
LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}


def split_title(span) -> tuple[int, str | None]:  # type: ignore[no-untyped-def]
    """Index (within span) where the personal name starts, and the title before it, if any.

    The name is the longest run of capitalised non-title tokens (name particles allowed) at the end
    of the span; everything before it is the title. No title: (0, None).
    """
    toks = list(span)
    i = len(toks)
    while i > 0:
        t = toks[i - 1]
        low = t.lower_.rstrip(".")
        name_like = (t.text[:1].isupper() and low not in TITLE_WORDS and low not in ORG_WORDS) or (
            low in PARTICLES and i < len(toks)
        )
        if not name_like:
            break
        i -= 1
    if i == 0 or i == len(toks):
        return 0, None
    title_toks = toks[:i]
    if not any(low in TITLE_WORDS or low in ORG_WORDS for low in (t.lower_.rstrip(".") for t in title_toks)):
        return 0, None  # "Mary Ann Evans": no title word, the whole span is a name
    title = span.doc.text[title_toks[0].idx : title_toks[-1].idx + len(title_toks[-1])].strip(" ,")
    return i, title


def _media_or_platform(span) -> str | None:  # type: ignore[no-untyped-def]
    words = [t.lower_.rstrip(".") for t in span if not t.is_punct]
    if not words:
        return None
    if span.text == "X" or (len(words) == 1 and words[0] in PLATFORMS and span.text[:1].isupper()):
        return "platform"
    if any(w in MEDIA for w in words) or (len(words) > 1 and words[-1] in MEDIA_WORDS):
        return "media"
    return None


_DATE_TAIL = re.compile(
    r"\s+(?:on|in|at)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)",
    re.I,
)


def _trim(text: str) -> str:
    """An entity without a date glued to its end or an unclosed bracket ("Hall on May 2, 2016")."""
    m = _DATE_TAIL.search(text)
    if m:
        text = text[: m.start()]
    if text.count("(") > text.count(")"):
        text = text[: text.rindex("(")]
    return text.rstrip(" ,;:-")


def _org_hides_person(ent) -> tuple[int, str] | None:  # type: ignore[no-untyped-def]
    """An ORG span that ends in a person's name after an organisation title, as news glues them.

    "Special Operations Command of Belarus' Armed Forces Vadim Denisenko" -> the person "Vadim
    Denisenko". The name must be two or more capitalised tokens that are not organisation or title
    words and not a place the gazetteer knows ("Bank of New York" stays an organisation).
    """
    cut, title = split_title(ent)
    if title is None or len(ent) - cut < 2:
        return None
    g = get_gazetteer()
    run = ent[cut:]
    if any(g.lookup(run[:k].text) for k in range(1, len(run) + 1)):
        return None  # "Bank of New York Mellon": a place, not a first name, follows the title
    return cut, title


def _title_before(ent, title: str | None = None) -> str | None:  # type: ignore[no-untyped-def]
    """The title written just before a person: title words, "of"/"the" and capitalised words of
    organisations, places and nationalities ("Chief of the Special Operations Command of Belarus'
    Armed Forces" + "Vadim Denisenko"), joined to any title found inside the entity itself.
    Returns None when no title word is there."""
    doc, i, lo = ent.doc, ent.start, ent.sent.start
    while i > lo:
        t = doc[i - 1]
        low = t.lower_.rstrip(".")
        capital = t.text[:1].isupper()
        if (low in TITLE_WORDS and capital) or (capital and t.ent_type_ in ("ORG", "NORP", "GPE")) or (
            low in ("of", "the", "'s", "'", "\u2019s", "\u2019") and i - 1 > lo
        ) or (capital and low in ORG_WORDS):
            i -= 1
            continue
        break
    while i < ent.start and doc[i].lower_ in ("of", "the", "'s", "'"):
        i += 1
    head_toks = doc[i : ent.start]
    has_title = any(t.lower_.rstrip(".") in TITLE_WORDS for t in head_toks)
    if not has_title:
        return title.removeprefix("the ") if title else None
    head = doc.text[doc[i].idx : ent.start_char].strip()
    return f"{head} {title}".strip() if title else head


_CITATION = re.compile(r"\[\d{1,3}\]?")


def _after_citation(ent):  # type: ignore[no-untyped-def]
    """The part of an entity after its last citation marker ("Gov.[14] Sarah Palin" -> "Sarah
    Palin"), the entity itself when it has none, None when nothing named follows the marker."""
    marks = list(_CITATION.finditer(ent.text))
    if not marks:
        return ent
    rest = ent.text[marks[-1].end():]
    if not any(ch.isalpha() for ch in rest):
        return None
    start = ent.start_char + marks[-1].end() + (len(rest) - len(rest.lstrip()))
    return ent.doc.char_span(start, ent.end_char, label=ent.label_, alignment_mode="contract")


def find_entities(doc, article_id: str, place_spans: dict[tuple[int, int], str] | None = None):  # type: ignore[no-untyped-def]
    """Entity facts of a parsed article and the entities discarded, each with a reason."""
    facts: list[Fact] = []
    discards: list[Discard] = []
    places = place_spans or {}
    for ent in doc.ents:
        label = ent.label_
        if label not in LABELS:
            continue
        whole = ent
        ent = _after_citation(ent)
        if ent is None or not len(ent):
            reason = "title_without_name" if label in ("PERSON", "ORG") else "not_a_name"
            discards.append(Discard(STAGE, reason, whole.text, whole.start_char, whole.end_char))
            continue
        start, end, text = ent.start_char, ent.end_char, ent.text
        detail: dict[str, str] = {"spacy_label": label}
        if len(text.strip(" .")) < 2 or not any(ch.isalpha() for ch in text):
            discards.append(Discard(STAGE, "not_a_name", text, start, end))
            continue
        words = [t.lower_.rstrip(".") for t in ent if t.is_alpha]
        if label in ("ORG", "PERSON") and words and all(w in TITLE_WORDS and w not in ORG_WORDS for w in words):
            discards.append(Discard(STAGE, "title_without_name", text, start, end))
            continue
        if ent is not whole:
            detail["repair"] = "citation_marker"
        media = _media_or_platform(ent)
        if media and label != "ORG":
            detail["repair"] = f"{media}_not_{label.lower()}"
            label = "ORG"
        elif (start, end) in places and label not in ("GPE", "LOC", "FAC"):
            detail["repair"] = f"place_not_{label.lower()}"
            label = places[(start, end)]
        elif label in ("PERSON", "ORG"):
            cut, title = split_title(ent) if label == "PERSON" else (_org_hides_person(ent) or (0, None))
            if title is not None:
                if label == "ORG":
                    detail["repair"] = "person_not_org"
                    label = "PERSON"
                name_tok = ent[cut]
                if cut >= len(ent):
                    discards.append(Discard(STAGE, "title_without_name", text, start, end))
                    continue
                start, text = name_tok.idx, doc.text[name_tok.idx : end]
                detail["title"] = _title_before(ent, title) or title
                detail.setdefault("repair", "title_split")
            elif label == "PERSON" and all(
                t.lower_.rstrip(".") in TITLE_WORDS | ORG_WORDS for t in ent if t.is_alpha
            ):
                discards.append(Discard(STAGE, "title_without_name", text, start, end))
                continue
            elif label == "PERSON" and (before := _title_before(ent)):
                detail["title"] = before
        if media:
            detail["kind"] = media
        trimmed = _trim(text)
        if trimmed != text:
            detail.setdefault("repair", "trimmed")
            text, end = trimmed, start + len(trimmed)
        name = " ".join(text.replace("\u2019", "'").split()).removeprefix("the ").removeprefix("The ")
        facts.append(
            Fact(article_id, "entity", label, name, text, start, end, STAGE, 0.8, None, detail)
        )
    return facts, discards
