"""Stories across languages, through the product path: ``crosswire run`` on reports in en, ru, pl,
de, fr, es and zh, then the story records. The grouping set is ``tests/fixtures/crosslingual``
(its README lists the events and their gold stories); its dev half tuned
:mod:`crosswire.stories.crosslingual`, the test half gates B-cubed F1 here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from crosswire.evaluate.ecbplus import score_grouping
from crosswire.stories import crosslingual, embeddings
from crosswire.stories.features import ArticleFeatures, PlaceRef
from crosswire.stories.state import StoryState

FIXTURES = Path(__file__).parent / "fixtures" / "crosslingual"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
BCUBED_FLOOR = 0.95


def crosswire(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosswire", *args], capture_output=True, timeout=900, check=True)


def run_and_export(db: Path, *inputs: Path) -> list[dict]:
    """``crosswire run`` on the inputs, then every story record (``export --what stories``)."""
    crosswire("run", *map(str, inputs), "--db", str(db), "--quiet")
    out = crosswire("export", "--what", "stories", "--format", "jsonl", "-", "--db", str(db), "--quiet").stdout
    return [json.loads(line) for line in out.decode("utf-8").splitlines() if line.strip()]


def story_of_url(stories: list[dict]) -> dict[str, str]:
    return {a["url"]: s["id"] for s in stories for a in s["articles"] if a.get("url")}


def gold_of(folder: Path) -> dict[str, str]:
    """url -> gold story (the file name's prefix, README.md)."""
    out = {}
    for path in sorted(folder.glob("*.json")):
        url = json.loads(path.read_text(encoding="utf-8"))["url"]
        out[url] = path.stem.split("-")[0]
    return out


def bcubed(folder: Path, stories: list[dict]) -> dict[str, float]:
    gold = gold_of(folder)
    placed = story_of_url(stories)
    return score_grouping(gold, {u: placed.get(u, f"unplaced:{u}") for u in gold})


# ---------------------------------------------------------------- the embedding
def test_the_multilingual_embedding_puts_a_report_near_its_translation_not_near_another_event():
    e = embeddings.embed([
        "Coach overturns on motorway near Kraków, six killed",
        "Под Краковом перевернулся автобус, шесть погибших",
        "Autokar przewrócił się na autostradzie pod Krakowem, sześć ofiar",
        "Central bank raises interest rates by half a point",
    ])
    assert e.shape == (4, embeddings.DIM) and e.dtype == np.float32
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    sims = e @ e.T
    assert sims[0, 1] > sims[0, 3] + 0.3 and sims[0, 2] > sims[0, 3] + 0.3


def test_an_embedding_is_title_and_lead_only():
    body = " ".join(f"w{i}" for i in range(500))
    text = embeddings.text_for("Title", body)
    assert text.startswith("Title. w0 w1") and len(text) <= len("Title. ") + embeddings.LEAD_CHARS


def test_an_article_is_embedded_once_and_kept_with_the_models_name(tmp_path):
    from crosswire.store import Store

    report = tmp_path / "in.txt"
    report.write_text("Fire at a paint warehouse in the harbour\n\n" + "Firefighters fought a fire at a paint "
                      "warehouse in the harbour district on Sunday night, the fire service said. " * 4, encoding="utf-8")
    crosswire("ingest", str(report), "--db", str(tmp_path / "x.db"), "--quiet")
    with Store(tmp_path / "x.db") as store:
        aid, title, text = store.conn.execute("SELECT id, title, text FROM articles").fetchone()
        first = embeddings.vectors(store.conn, {aid: (title, text)})[aid]
        rows = store.conn.execute("SELECT model, vector FROM article_embeddings").fetchall()
        assert [(r[0], len(r[1])) for r in rows] == [(embeddings.MODEL, 4 * embeddings.DIM)]
        assert np.array_equal(embeddings.stored(store.conn, [aid])[aid], first)
        store.conn.execute("UPDATE article_embeddings SET model = 'an older model'")
        assert embeddings.stored(store.conn, [aid]) == {}  # another model's vector is not used


# ---------------------------------------------------------------- the fingerprint
def _features(aid: str, language: str, **kw) -> ArticleFeatures:
    return ArticleFeatures(id=aid, title=kw.pop("title", ""), body=kw.pop("body", ""), language=language, **kw)


KRAKOW = PlaceRef("Kraków", 3094802, "PL", "72", "city", 50.06143, 19.93658)
GRANADA = PlaceRef("Granada", 2517117, "ES", "AN", "city", 37.18817, -3.60667)


def test_the_fingerprint_agrees_on_places_days_numbers_and_tolls_not_on_words():
    story = StoryState("s")
    story.add(_features("en", "en", places={KRAKOW.key: KRAKOW}, event_places=[KRAKOW], event_day=739351,
                        days=frozenset({739351}), killed=6.0, surnames=frozenset({"lis"})),
              _empty_vectors(), _docfreq())
    same = _features("ru", "ru", places={KRAKOW.key: KRAKOW}, event_places=[KRAKOW], event_day=739351,
                     days=frozenset({739351}), killed=6.0, surnames=frozenset({"lis"}))
    other = _features("es", "es", places={GRANADA.key: GRANADA}, event_places=[GRANADA], event_day=739351,
                      days=frozenset({739351}), killed=3.0)
    fp_same, parts = crosslingual.fingerprint(same, story, frozenset({"6", "21"}), frozenset({"6", "21", "7:15"}))
    fp_other, _ = crosslingual.fingerprint(other, story, frozenset({"6", "21"}), frozenset({"3", "18"}))
    assert fp_same is not None and fp_other is not None and fp_same > 0.8 > 0.3 > fp_other
    assert set(parts) == {"places", "days", "numbers", "people", "tolls"}
    assert crosslingual.fingerprint(_features("x", "de"), StoryState("t"), frozenset(), frozenset()) == (None, {})


def test_numbers_are_read_in_digits_also_glued_to_chinese_characters():
    assert crosslingual.numbers("6 killed", "at 6:40, 3,5 mln; 造成2人死亡、20人受伤") >= {"6", "6:40", "3.5", "2", "20"}


def test_languages_differ_only_when_both_are_known():
    assert crosslingual.languages_differ("ru", frozenset({"en"}))
    assert crosslingual.languages_differ("en", frozenset({"en", "pl"}))
    assert not crosslingual.languages_differ("en", frozenset({"en"}))
    assert not crosslingual.languages_differ(None, frozenset({"en"}))
    assert not crosslingual.languages_differ("ru", frozenset())


def _empty_vectors():
    from crosswire.stories.vectors import ArticleVectors, Sparse

    return ArticleVectors(Sparse.empty(), Sparse.empty(), Sparse.empty(), Sparse.empty())


def _docfreq():
    from crosswire.stories.vectors import DocFreq

    return DocFreq()


# ---------------------------------------------------------------- through the product
@pytest.fixture(scope="module")
def test_half(tmp_path_factory) -> list[dict]:
    """One ``crosswire run`` over the test half, the drill reports with the seeds (when present) and
    the demo corpus: the stories of one store, as a user would get them."""
    from crosswire.demo import corpus_path

    inputs = [FIXTURES / "test", FIXTURES / "drill", corpus_path()] + ([SEEDS] if SEEDS.is_dir() else [])
    return run_and_export(tmp_path_factory.mktemp("xl") / "test.db", *inputs)


def test_reports_in_seven_languages_group_into_their_events_bcubed_gate(test_half):
    """The test half (4 events x 4 languages, look-alikes among them), scored as a user would get it."""
    score = bcubed(FIXTURES / "test", test_half)
    assert score["bcubed_f1"] >= BCUBED_FLOOR, score


def test_a_look_alike_in_another_language_stays_out_of_the_story(test_half):
    placed = story_of_url(test_half)
    gold = gold_of(FIXTURES / "test")
    for url, event in gold.items():
        for other, other_event in gold.items():
            if event != other_event:  # same city two weeks later; same day, another city: apart
                assert placed.get(url) != placed.get(other), (url, other)


def test_a_story_across_languages_lists_each_sources_language_and_says_why_it_joined(test_half):
    story = next(s for s in test_half if any(a["url"].endswith("t1-krakow-coach-ru") for a in s["articles"]))
    languages = {a["url"].rsplit("-", 1)[1]: a["language"] for a in story["articles"]}
    assert languages == {"en": "en", "pl": "pl", "de": "de", "ru": "ru"}
    joined = [a for a in story["articles"] if a.get("why", {}).get("decision") == "joined"]
    assert joined and all("crosslingual" in a["why"] for a in joined)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_the_seeds_story_takes_a_russian_and_a_polish_report_of_the_drill(test_half):
    drill = [s for s in test_half if any("drill-brest" in (a.get("url") or "") for a in s["articles"])]
    assert len(drill) == 1, [(s["title"], [a.get("url") or a["title"] for a in s["articles"]]) for s in test_half]
    assert sorted(a["language"] for a in drill[0]["articles"]) == ["en", "en", "pl", "ru"]  # both seeds too


def test_the_demos_polish_and_dutch_reports_join_their_stories(test_half):
    def story_of(city: str) -> dict:  # the demo's story of the wire report from that city (answer key 01, 09)
        return next(s for s in test_half for a in s["articles"]
                    if a["outlet"] == "Continental Press Agency" and city in a["title"])

    gdansk, rotterdam = story_of("Gdańsk"), story_of("Rotterdam")
    assert sorted(a.get("language") for a in gdansk["articles"]) == ["en"] * 7 + ["pl"]
    assert sorted(a.get("language") for a in rotterdam["articles"]) == ["en"] * 5 + ["nl"]
