"""Copies across outlets: exact and near duplicates point to the earliest copy."""

import random

from crosswire.config import Settings
from crosswire.dedupe.minhash import Deduplicator, jaccard, shingles, signature, text_hash
from crosswire.models import Article
from crosswire.store import Store

WORDS = ("the fire crews arrived at plant near harbour after midnight officials said residents "
         "were told to stay inside while investigators examined damage workers injured").split()


def body(seed: int, n: int = 220) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 50)) for _ in range(n))


def art(i: int, text: str, published: str | None = "2025-03-11", outlet: str = "a.example") -> Article:
    return Article(id=f"id{i}", title=f"t{i}", text=text, outlet=outlet, url=None, authors=[],
                   published=published, published_source="metadata" if published else None,
                   language="en", ingested_at="2025-03-12T00:00:00+00:00", source=f"f{i}",
                   text_hash=text_hash(text))


def place_all(store, settings, articles):
    d = Deduplicator(store, settings)
    with store.transaction():
        return [d.place(a, signature(a.text, settings).tobytes()) for a in articles]


def test_exact_copy_from_another_outlet_points_to_the_original(tmp_path):
    s = Settings()
    text = body(1)
    with Store(tmp_path / "x.db") as store:
        found = place_all(store, s, [art(1, text), art(2, text, outlet="b.example"), art(3, body(2))])
        assert found == [False, True, False]
        copy = store.get_article("id2")
        assert (copy.duplicate_of, copy.similarity) == ("id1", 1.0)
        assert store.get_article("id3").duplicate_of is None


def test_lightly_edited_wire_copy_is_a_near_duplicate_with_its_similarity():
    s = Settings()
    original = body(5)
    words = original.split()
    edited = "This article was originally published by a wire service. " + " ".join(words[:-15])
    sim = jaccard(shingles(original, 5), shingles(edited, 5))
    assert s.dedupe_threshold <= sim < 1.0


def test_near_duplicate_found_through_lsh_and_earliest_copy_wins(tmp_path):
    s = Settings()
    original = body(7)
    words = original.split()
    edited = " ".join(words[:100] + ["an", "added", "sentence"] + words[100:-8])
    with Store(tmp_path / "x.db") as store:
        # The copy arrives first but was published a day later; the original then takes its place.
        place_all(store, s, [art(1, edited, "2025-03-12"), art(2, original, "2025-03-11")])
        copy = store.get_article("id1")
        assert copy.duplicate_of == "id2"
        assert s.dedupe_threshold <= copy.similarity < 1.0
        assert store.get_article("id2").duplicate_of is None


def test_different_articles_on_the_same_topic_are_not_copies(tmp_path):
    s = Settings()
    with Store(tmp_path / "x.db") as store:
        assert place_all(store, s, [art(i, body(100 + i)) for i in range(20)]) == [False] * 20


def test_the_earlier_copy_is_told_by_its_instant_not_its_outlets_local_day() -> None:
    from crosswire.dedupe.minhash import _earlier

    def art(aid: str, published: str | None) -> Article:
        return Article(aid, "t", "x", None, None, [], published, "metadata" if published else None, "en",
                       "2025-03-13T00:00:00+00:00", "s")

    new_york = art("a", "2025-03-11T23:30:00-05:00")  # local day 11 March, 04:30 UTC on 12 March
    warsaw = art("b", "2025-03-12T01:00:00+01:00")  # local day 12 March, 00:00 UTC on 12 March
    assert _earlier(warsaw, new_york) and not _earlier(new_york, warsaw)
    day_only = art("c", "2025-03-11")
    assert _earlier(day_only, warsaw) and not _earlier(warsaw, day_only)  # days compared when one has no time
    assert _earlier(day_only, art("d", None)) and not _earlier(art("d", None), day_only)


def test_re_pointing_a_group_writes_only_dedupes_record_never_the_articles(tmp_path):
    s = Settings()
    original = body(7)
    words = original.split()
    edited = " ".join(words[:100] + ["an", "added", "sentence"] + words[100:-8])
    with Store(tmp_path / "x.db") as store:
        place_all(store, s, [art(1, edited, "2025-03-12")])
        before = store.conn.execute("SELECT * FROM article_records WHERE id = 'id1'").fetchone()
        place_all(store, s, [art(2, original, "2025-03-11")])  # the earlier copy arrives: id1 is re-pointed
        assert tuple(store.conn.execute("SELECT * FROM article_records WHERE id = 'id1'").fetchone()) == tuple(before)
        assert [tuple(r) for r in store.conn.execute("SELECT article_id, duplicate_of FROM copies")] == [("id1", "id2")]
        assert store.get_article("id1").duplicate_of == "id2"  # readers see the link through the view
