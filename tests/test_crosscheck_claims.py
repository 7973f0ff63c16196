"""One claim, one item: reported claims that say the same thing in other words, or repeat it,
are one item listing every outlet that reports it; claims that differ in a number, a date, a
place or a negation stay apart. The first tests compare claims built here; the last run the
whole pipeline on three reports of an invented warehouse fire written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosswire.config import Settings
from crosswire.crosscheck import paraphrase, quotes
from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.story import crosscheck_story
from crosswire.present.briefing import outline, render_markdown
from crosswire.store import Store

SPREAD = ["crews had stopped the fire from spreading to the neighbouring houses",
          "the spread of the fire to neighbouring homes was stopped by a crew",
          "crews were stopping the spread of the fire to houses in the neighbourhood"]


def _u(aid: str, text: str, speaker: str | None = "Avon Fire and Rescue Service", start: int = 100,
       kind: str = "claim") -> quotes.Utterance:
    return quotes.Utterance(aid, kind, speaker, None, "org" if speaker else None, text, start, start + len(text),
                            f"{aid}-{start}")


def _article(aid: str, facts: list[dict] | None = None) -> StoryArticle:
    return StoryArticle(aid, "", "", f"outlet-{aid}", None, None, facts=facts or [])


def _joined(*utterances: quotes.Utterance, facts: dict[str, list[dict]] | None = None) -> list[list[str]]:
    arts = [_article(a, (facts or {}).get(a)) for a in dict.fromkeys(u.article for u in utterances)]
    return [[m.text for m in c.members] for c in paraphrase.join(quotes.match(list(utterances)), arts)]


def test_numbers_are_read_in_digits_and_words() -> None:
    assert paraphrase.numbers("12 people were hurt") == paraphrase.numbers("twelve people were hurt") \
        == paraphrase.numbers("a dozen people were hurt") == {12.0}
    assert paraphrase.numbers("2,000 homes lost power") == {2000.0}
    assert paraphrase.numbers("crews stopped the fire") == frozenset()


def test_negation_is_read_in_its_forms() -> None:
    for text in ("monitoring did not detect toxic fumes", "there was no sign of sabotage", "the gun wasn't loaded",
                 "police have never seen such a fire", "officers found nothing"):
        assert paraphrase.negated(text), text
    assert not paraphrase.negated("monitoring detected toxic fumes outside the plant")


def test_content_lemmas_fold_inflections_and_derivations() -> None:
    a, b = paraphrase.content_lemmas(SPREAD[0]), paraphrase.content_lemmas(SPREAD[2])
    assert {"crew", "stop", "spread", "fire", "house"} <= a & b  # "had stopped" = "were stopping"
    assert "neighb" in a & b  # "neighbouring" = "neighbourhood"


def test_three_outlets_paraphrasing_one_claim_are_one_item() -> None:
    utterances = [_u(aid, text) for aid, text in zip("abc", SPREAD)]
    assert len(quotes.match(utterances)) == 3  # the words differ too much for the quote matcher
    (one,) = _joined(*utterances)
    assert sorted(one) == sorted(SPREAD)


def test_claims_that_differ_in_a_figure_stay_apart() -> None:
    forty, sixty = _u("a", "40 workers had been evacuated from the site"), _u("b", "60 workers were evacuated from the site")
    assert len(quotes.match([forty, sixty])) == 1  # alike to the quote matcher
    assert len(_joined(forty, sixty)) == 2
    dozen = _u("c", "twelve workers were evacuated from the site")
    assert len(_joined(_u("a", "12 workers had been evacuated from the site"), dozen)) == 1


def test_a_negated_claim_stays_apart_from_the_claim() -> None:
    yes = _u("a", "the fire was being treated as deliberate", speaker=None)
    also = _u("b", "officers were treating the fire as deliberate", speaker=None)
    no = _u("c", "the fire was not being treated as deliberate", speaker=None)
    groups = _joined(yes, also, no)
    assert sorted(map(sorted, groups)) == [[also.text, yes.text], [no.text]]


def test_claims_that_differ_in_a_date_or_a_place_stay_apart() -> None:
    tue, wed = _u("a", "the warehouse roof collapsed on Tuesday"), _u("b", "the warehouse roof collapsed on Wednesday")
    assert len(_joined(tue, wed)) == 2
    bristol, leeds = _u("a", "the company would move production to Bristol"), _u("b", "the company would move production to Leeds")
    place = {"kind": "place", "about": "place", "text": "Bristol"}
    city = {"country": "GB", "feature": "city", "admin1": "ENG"}
    facts = {"a": [dict(place, id="p1", start=bristol.end - 7, end=bristol.end,
                        value=dict(city, name="Bristol", geonameid=2654675, lat=51.455, lon=-2.597))],
             "b": [dict(place, id="p2", text="Leeds", start=leeds.end - 5, end=leeds.end,
                        value=dict(city, name="Leeds", geonameid=2644688, lat=53.797, lon=-1.548))]}
    assert len(_joined(bristol, leeds, facts=facts)) == 2
    same = {"a": facts["a"], "b": [dict(facts["a"][0], id="p3", start=leeds.end - 5, end=leeds.end)]}
    assert len(_joined(bristol, leeds, facts=same)) == 1  # the same place read in both: one claim


def test_a_place_and_the_state_it_lies_in_agree() -> None:
    a, b = _u("a", "officers found the man in a field near Gary"), _u("b", "officers found the man in a field near Gary, Indiana")
    gary = {"kind": "place", "about": "place", "text": "Gary", "value": {"name": "Gary", "geonameid": 4920607,
            "country": "US", "admin1": "IN", "feature": "city", "lat": 41.59, "lon": -87.35}}
    indiana = {"kind": "place", "about": "place", "text": "Indiana", "value": {"name": "Indiana", "geonameid": 4921868,
               "country": "US", "admin1": "IN", "feature": "admin1", "lat": 40.0, "lon": -86.25}}
    i = b.text.index("Indiana")
    facts = {"a": [dict(gary, id="g1", start=a.end - 4, end=a.end)],
             "b": [dict(gary, id="g2", start=b.start + i - 6, end=b.start + i - 2),
                   dict(indiana, id="i1", start=b.start + i, end=b.end)]}
    assert len(_joined(a, b, facts=facts)) == 1


def test_a_wording_that_leaves_a_figure_out_stays_with_the_claim() -> None:
    aged = _u("a", "the 17-year-old teen and his friends were playing with the gun when it was discharged", speaker=None)
    bare = _u("b", "he and his friends were playing with the gun when it was discharged", speaker=None)
    assert len(quotes.match([aged, bare])) == 1
    assert len(_joined(aged, bare)) == 1  # no other figure is stated: nothing to split


def test_two_named_speakers_who_differ_are_two_claims() -> None:
    a = _u("a", SPREAD[0], speaker="Harbour Paints")
    b = _u("b", SPREAD[2], speaker="Avon Fire and Rescue Service")
    assert len(_joined(a, b)) == 2


def test_an_exact_repeat_in_one_article_is_one_item() -> None:
    first = _u("a", "the roof of the warehouse had collapsed", start=100)
    again = _u("a", "the roof of the warehouse had collapsed", start=900)
    assert len(quotes.match([first, again])) == 2
    (one,) = _joined(first, again)
    assert len(one) == 2


def test_a_claim_with_too_few_words_is_not_matched_in_other_words() -> None:
    assert len(_joined(_u("a", "there is no threat to the public"), _u("b", "there is no threat to public safety"))) == 2


REPORTS = {
    "westwire.json": {
        "title": "Fire destroys paint warehouse in Bristol",
        "maintext": ("A fire destroyed a paint warehouse in the Avonmouth area of Bristol on Tuesday night.\n\n"
                     f"Avon Fire and Rescue Service said {SPREAD[0]}.\n\n"
                     "Harbour Paints said 40 workers had been evacuated from the site.\n\n"
                     "Police said the fire was being treated as deliberate."),
        "date_publish": "2025-06-04 08:00:00", "url": "https://westwire.example/bristol-warehouse-fire",
        "source_domain": "westwire.example", "language": "en"},
    "severnpost.json": {
        "title": "Bristol warehouse blaze: homes saved",
        "maintext": ("Firefighters fought a blaze at a paint warehouse in Avonmouth, Bristol, on Tuesday night.\n\n"
                     f"Avon Fire and Rescue Service said {SPREAD[1]}.\n\n"
                     "Harbour Paints said 60 workers were evacuated from the site.\n\n"
                     "Police said officers were treating the fire as deliberate."),
        "date_publish": "2025-06-04 09:30:00", "url": "https://severnpost.example/news/avonmouth-blaze",
        "source_domain": "severnpost.example", "language": "en"},
    "bristoldaily.json": {
        "title": "Paint warehouse burns in Avonmouth",
        "maintext": ("A paint warehouse in Avonmouth, Bristol, burned down on Tuesday night.\n\n"
                     f"Avon Fire and Rescue Service said {SPREAD[2]}.\n\n"
                     "Police said the fire was not being treated as deliberate.\n\n"
                     "The warehouse had stored paint and solvents for twenty years. "
                     "Avon Fire and Rescue Service said the roof of the warehouse had collapsed.\n\n"
                     "Residents watched from the road as the smoke rose. "
                     "Avon Fire and Rescue Service said the roof of the warehouse had collapsed."),
        "date_publish": "2025-06-04 10:15:00", "url": "https://bristoldaily.example/avonmouth-paint-fire",
        "source_domain": "bristoldaily.example", "language": "en"},
}


@pytest.fixture(scope="module")
def fire(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from crosswire.run import run_stages

    folder = tmp_path_factory.mktemp("fire")
    for name, record in REPORTS.items():
        (folder / name).write_text(json.dumps(record), encoding="utf-8")
    settings = Settings(db=str(folder / "fire.db"), workers=1)
    with Store(settings.db) as store:
        run_stages([str(folder)], store, settings)
        (sid,) = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE status = 'active'")]
        yield crosscheck_story(store, sid, persist=False)


def _claims(record: dict) -> dict[str, dict]:
    return {f["text"]: f for f in record["facts"] if f["kind"] == "claim"}


def _outlets(record: dict, f: dict) -> set[str]:
    outlet = {a["id"]: a["outlet"] for a in record["articles"]}
    return {outlet[s["article"]] for s in f["sources"]}


def test_the_paraphrased_claim_is_one_corroborated_item(fire) -> None:  # type: ignore[no-untyped-def]
    (spread,) = [f for t, f in _claims(fire).items() if t in SPREAD]
    assert spread["status"] == "corroborated" and spread["independent_sources"] == 3
    assert _outlets(fire, spread) == {"westwire.example", "severnpost.example", "bristoldaily.example"}
    assert {s["text"] for s in spread["sources"]} == set(SPREAD)


def test_figures_and_negations_stay_separate_items(fire) -> None:  # type: ignore[no-untyped-def]
    claims = _claims(fire)
    forty, sixty = claims["40 workers had been evacuated from the site"], claims["60 workers were evacuated from the site"]
    assert forty["status"] == sixty["status"] == "single_source"
    negated = claims["the fire was not being treated as deliberate"]
    assert _outlets(fire, negated) == {"bristoldaily.example"} and negated["status"] == "single_source"
    (deliberate,) = [f for f in claims.values() if "treat" in f["text"] and f is not negated]
    assert _outlets(fire, deliberate) == {"westwire.example", "severnpost.example"}
    assert deliberate["status"] == "corroborated"


def test_a_repeated_claim_is_one_item(fire) -> None:  # type: ignore[no-untyped-def]
    roof = [f for f in fire["facts"] if f["kind"] == "claim" and "roof" in f["text"]]
    assert len(roof) == 1 and len(roof[0]["sources"]) == 2 and roof[0]["status"] == "single_source"


def test_the_briefing_lists_a_claim_once_with_its_outlets_and_wordings(fire) -> None:  # type: ignore[no-untyped-def]
    md = render_markdown(fire)
    (line,) = [x for x in md.splitlines() if "reported by bristoldaily.example, severnpost.example and westwire.example" in x]
    assert "**corroborated** (3 independent sources)" in line
    assert sum(f"“{t}”" in md for t in SPREAD) == 3  # the shown wording and the two others, each cited
    items = [s for s in outline(fire)["facts"] if s["text"].startswith(("Avon Fire", "an unnamed speaker said"))]
    assert len({s["text"] + str(s["quote"]) for s in items}) == len(items)  # no item twice
    assert sum(1 for s in items if "roof" in str(s["quote"])) == 1


def test_two_outlets_saying_one_claim_with_synonyms_are_one_item() -> None:
    a = _u("a", "the troops began joint exercises near the border on the plain", speaker="the ministry")
    b = _u("b", "the soldiers started joint drills near the border on the plain", speaker="the ministry")
    assert len(quotes.match([a, b])) == 2  # the words differ too much for the quote matcher
    assert paraphrase.content_lemmas(a.text) == paraphrase.content_lemmas(b.text)
    assert len(_joined(a, b)) == 1
    killed = _u("c", "the fire killed the warehouse workers overnight")
    dead = _u("d", "the warehouse workers were dead after the fire overnight")
    assert len(_joined(killed, dead)) == 1


def test_synonyms_never_join_claims_that_say_different_things() -> None:
    hurt = _u("c", "the fire injured the warehouse workers overnight")
    dead = _u("d", "the fire killed the warehouse workers overnight")
    assert len(_joined(hurt, dead)) == 2  # hurt is not dead
    arrested = _u("e", "officers arrested the gunman outside the warehouse on the river")
    shot = _u("f", "officers shot the gunman outside the warehouse on the river")
    assert len(_joined(arrested, shot)) == 2
    same = paraphrase.synonyms()
    assert same["troops"] == same["soldier"] != same["officer"] and same["drill"] == same["exercise"]
    assert "minor" not in same and "launch" not in same  # "minor injuries", "launched a missile"


def test_a_malformed_synonym_row_is_rejected_naming_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crosswire.errors import CrosswireError

    bad = tmp_path / "synonyms.csv"
    bad.write_text("head,words,relation,source\nsoldier,soldier|troop,x,https://wordnet.princeton.edu/\n"
                   "officer,officer|troop,x,https://wordnet.princeton.edu/\n", encoding="utf-8")
    monkeypatch.setattr(paraphrase, "SYNONYMS", bad)
    paraphrase.synonyms.cache_clear()
    try:
        with pytest.raises(CrosswireError, match="synonyms.csv:3"):
            paraphrase.synonyms()
    finally:
        monkeypatch.undo()
        paraphrase.synonyms.cache_clear()
