"""The tense around a time expression, which picks the side of the reference date a weekday, a
day-month or a month without a year falls on.

``tense_at`` finds the verb governing a span (on the span's own line, so a headline the parser ran
into the next line keeps its own verb) and reads its tense: ``future`` after "will", "is set to",
"is expected to", "ahead of", "awaiting"...; ``scheduled`` for an event verb in the simple present
("trading resumes Tuesday"); ``present`` for a progressive or a stative verb; ``past`` otherwise and in
headlines told in the present ("Council approves new budget").
"""

from __future__ import annotations

import re

_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would", "could", "may", "might", "should", "can", "must"}
_FUTURE_HEADS = {"set", "expect", "schedule", "due", "plan", "slate", "poise", "intend", "aim", "hope", "go",
                 "prepare", "likely", "about", "scheduled", "expected", "want", "seek", "agree", "promise"}
_REPORTING = {"say", "tell", "announce", "report", "state", "confirm", "add", "note", "write", "explain", "warn",
              "predict", "expect", "claim", "insist", "argue", "suggest", "indicate", "reveal", "disclose"}
_PRESENT_BE = {"is", "are", "am", "'s", "'re", "'m"}
_STATIVE = {"be", "have", "say", "tell", "report", "know", "think", "believe", "remain", "seem", "appear", "mean",
            "show", "include", "contain", "own", "need", "want", "expect", "hope", "estimate", "claim", "note"}


def _verb_tense(v, depth: int = 0) -> str:
    aux_toks = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    aux_toks += [g for c in aux_toks for g in c.children if g.dep_ == "aux"]  # "will" under "be" in "will be closed"
    auxes = {c.lower_ for c in aux_toks}
    if auxes & _FUTURE_AUX:
        return "future"
    if v.tag_ == "VB" and "to" in auxes and (v.head.i == v.i or v.head.pos_ == "PROPN"):
        return "future"  # headlines: "Rail workers to strike Monday", "Bakers to open shops early Monday"
    if v.tag_ == "VB" and "to" in auxes and depth < 3 and v.head.i != v.i:
        head = v.head
        if head.lemma_.lower() in _FUTURE_HEADS or head.lower_ in _FUTURE_HEADS:
            return "future"
        return _verb_tense(head, depth + 1)
    if v.tag_ == "VBD":
        return "past"
    if v.tag_ == "VBN":
        if auxes & (_PRESENT_BE | {"has", "have", "been"}) and v.lemma_.lower() in _FUTURE_HEADS:
            return "future"
        return "present" if auxes & _PRESENT_BE else "past"
    if v.tag_ == "VBG":  # "is travelling on Monday": the nearer Monday, so "present"
        return "past" if auxes & {"was", "were"} else "present"
    if v.tag_ in ("VBZ", "VBP"):
        if v.lower_ in ("'s", "is", "are") and any(c.lower_ == "to" for c in v.children):
            return "future"
        if v.lemma_.lower() in _STATIVE:
            return "present"
        if v.dep_ in ("ccomp", "conj", "advcl") and v.head.tag_ == "VBD" and v.head.lemma_.lower() not in _REPORTING:
            return "past"  # under a past verb that does not report speech: more likely a misparse than a plan
        return "scheduled"  # "trading resumes Tuesday", "the trial begins on Wednesday"
    if auxes & {"did"}:
        return "past"
    if auxes & {"does", "do"}:
        return "present"
    return "past"


def _is_verb(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.tag_.startswith("VB")


def tense_at(doc, start: int, end: int, text: str | None = None) -> str:
    """The tense of the verb governing a span: ``past`` (the default of news), ``present``, ``future``
    or ``scheduled`` (an event verb in the simple present: future for a weekday, else as present).

    The verb is looked for on the span's own line: a headline the parser ran into the next line
    ("Rail workers to strike Monday" + newline + "Fuel prices rose...") keeps its own verb."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return "past"
    text = doc.text if text is None else text  # Doc.text joins every token: pass it when calling often
    if _AWAITED.search(text, max(0, start - 30), start):
        return "future"  # "ahead of Tuesday's meeting", "Wall Street braces for Monday"
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end

    def on_line(t) -> bool:
        return line_start <= t.idx < line_end

    tok = span.root
    for _ in range(8):
        if _is_verb(tok) or tok.head.i == tok.i or not on_line(tok.head):
            break
        tok = tok.head
    if not _is_verb(tok) and not on_line(tok.head):
        line = doc.char_span(line_start, line_end, alignment_mode="expand") or []
        line_verbs = [t for t in line if _is_verb(t) and (t.head.i == t.i or not on_line(t.head))]
        tok = min(line_verbs, key=lambda t: abs(t.idx - start)) if line_verbs else tok
    if not _is_verb(tok):
        return "past"
    tense = _verb_tense(tok)
    if tense == "present" and _UNTIL.search(text, max(0, start - 8), start):
        return "future"  # "bondholders have until Saturday"
    if tok.lemma_.lower() in _AWAIT_VERBS:
        return "future"  # "investors await Friday's jobs report"
    headline = _in_headline(doc, span, text) or (line_start == 0 < line_end < len(text)
                                                 and text[line_end - 1] not in _FINAL)
    if headline and tok.lemma_.lower() in _FUTURE_HEADS and tok.tag_ in ("VBD", "VBN"):
        return "future"  # "Fed expected to cut rates Wednesday": "is expected"
    if tense in ("present", "scheduled") and headline:
        return "past"  # headlines tell past events in the present: "Council approves new budget"
    return tense


_AWAITED = re.compile(r"(?i)\b(?:ahead\s+of|in\s+advance\s+of|await(?:s|ing|ed)?|brac(?:e|es|ing)\s+for"
                     r"|wait(?:s|ing)?\s+for|eyes?|eyeing|looks?\s+ahead\s+to|prepar(?:e|es|ing)\s+for)"
                     r"\s+(?:the\s+|this\s+|next\s+)?$")
_AWAIT_VERBS = {"await", "brace", "anticipate"}
_UNTIL = re.compile(r"(?i)\b(?:until|till|by)\s+$")
_FINAL = (".", "!", "?", '"', "\u201d")


def _in_headline(doc, span, text: str) -> bool:
    """A first sentence without final punctuation reads as a headline (when more text follows)."""
    if "\n" not in text:
        return False
    first = next(iter(doc.sents))
    return span.start < first.end and first[-1].text not in _FINAL
