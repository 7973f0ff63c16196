"""The parsed-document object the extractors share: the same readings as spaCy's, made once per Doc."""

from __future__ import annotations

import pytest

from crosswire.extract.nlp import load_nlp
from crosswire.extract.parsed import Parsed

TEXT = ("Police said two men were arrested in Springfield on Tuesday after a fight outside a bar.\n"
        "The mayor, Jane O'Neill, told reporters the town would hold a meeting.")


@pytest.fixture(scope="module")
def doc():
    return load_nlp()(TEXT)


def test_every_column_reads_as_spacy_reads_it(doc):
    P = Parsed(doc)
    toks = list(doc)
    assert P.n == len(toks) and P.text == doc.text
    assert P.texts == [t.text for t in toks]
    assert P.low == [t.lower_ for t in toks]
    assert P.pos == [t.pos_ for t in toks]
    assert P.tag == [t.tag_ for t in toks]
    assert P.dep == [t.dep_ for t in toks]
    assert P.lemma == [t.lemma_ for t in toks]
    assert P.ent_type == [t.ent_type_ for t in toks]
    assert P.iob == [["", "I", "O", "B"].index(t.ent_iob_) for t in toks]
    assert P.idx == [t.idx for t in toks]
    assert P.end == [t.idx + len(t.text) for t in toks]
    assert P.head == [t.head.i for t in toks]
    assert P.kids == [[c.i for c in t.children] for t in toks]
    assert P.sent_start == [t.is_sent_start is True for t in toks]
    assert P.sents == [(s.start, s.end) for s in doc.sents]
    assert P.is_title == [int(t.is_title) for t in toks] and P.punct == [int(t.is_punct) for t in toks]
    assert [(e.start, e.end, e.label, e.start_char, e.end_char) for e in P.ents] == \
        [(e.start, e.end, e.label_, e.start_char, e.end_char) for e in doc.ents]
    assert [t.i for t in P.toks] == list(range(len(toks)))


def test_the_helpers_agree_with_the_tree(doc):
    P = Parsed(doc)
    arrested = P.low.index("arrested")
    assert P.word(arrested) == "arrested"
    men = P.child(arrested, "nsubjpass")
    assert men is not None and P.low[men] == "men"
    assert P.low[P.pobj(arrested, ("in",))] == "springfield"
    assert P.pobj(arrested, ("against",)) is None
    assert sorted(P.subtree(men)) == sorted(t.i for t in doc[men].subtree)
    a = TEXT.index("a fight")
    assert P.root_of(a, a + len("a fight")) == P.low.index("fight")
    assert P.tok_at(a + 3) == P.low.index("fight")
    assert P.stext(P.low.index("jane"), P.low.index("o'neill") + 1) == "Jane O'Neill"
    assert P.w(-1) == "" and P.w(P.n) == "" and P.w(0) == "police"
    assert P.gap(P.low.index("bar"), P.low.index("bar") + 1) == ""
    assert P.lemma_lower(arrested) == "arrest"


def test_one_object_per_doc_shared_by_callers(doc):
    first = Parsed.of(doc)
    assert Parsed.of(doc) is first
    other = load_nlp()(TEXT)
    assert Parsed.of(other) is not first and Parsed.of(other).doc is other


def test_the_shared_table_holds_only_the_last_few_docs(doc):
    nlp = load_nlp()
    first = Parsed.of(doc)
    for k in range(8):
        Parsed.of(nlp(f"Story number {k} was filed."))
    again = Parsed.of(doc)
    assert again is not first and again.low == first.low


def test_an_empty_doc_has_empty_lists():
    P = Parsed(load_nlp()(""))
    assert P.n == 0 and P.idx == [] and P.low == [] and P.kids == [] and P.ents == [] and P.sents == []
