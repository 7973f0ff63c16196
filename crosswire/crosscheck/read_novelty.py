"""Whether the event happens for the first time: "the first time", "first since ...", "have ...
before"."""

from __future__ import annotations

import re

from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.quotes import _demonyms
from crosswire.crosscheck.relevance import about_event
from crosswire.crosscheck.sentences import sentence
from crosswire.crosscheck.slot import Slot
from crosswire.crosscheck.status import Observation


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


def novelty_slot(articles: list[StoryArticle], words: set[str]) -> Slot:
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
            if not about_event(a.text, s, e, words, dem):
                continue
            text = a.text[s:e].strip()
            lead = len(a.text[s:e]) - len(a.text[s:e].lstrip())
            src = {"article": a.id, "start": s + lead, "end": s + lead + len(text), "text": text}
            if any(o.article == a.id and o.value == value for o in slot.observations):
                continue
            slot.observations.append(Observation(a.id, value, text, [src], shown=value))
    return slot
