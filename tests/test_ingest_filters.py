"""Ingest filters for big inputs (--since, --until, --languages) on a real WARC file: what is left out is
rejected with its reason, before anything is stored or analysed."""

import pytest

from conftest import write_warc
from crosswire.config import load_settings
from crosswire.errors import ConfigError
from crosswire.ingest.pipeline import ingest
from crosswire.store import Store

TOPICS = ["a ferry that ran aground near the northern breakwater", "a new cycle bridge over the canal",
          "the closure of the old fish market", "a power cut in the eastern suburbs"]


def page(title: str, topic: str, day: str | None, n: int) -> bytes:
    meta = f"<meta property='article:published_time' content='{day}T08:00:00Z'>" if day else ""
    paragraphs = [f"City officials on day {n} described {topic} as the main concern of the week, and said a full "
                  f"report on {topic} would follow within a month, after talks with residents and local firms.",
                  f"Residents interviewed about {topic} said they had waited {n + 3} weeks for a clear answer, and "
                  "several asked the council to publish the inspection notes in full before the next meeting."]
    return (f"<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>").encode()


FRENCH = ("<html><head><title>Le marché aux poissons ferme</title>"
          "<meta property='article:published_time' content='2025-03-11T08:00:00Z'></head><body><article>"
          "<p>Le conseil municipal a annoncé lundi la fermeture du vieux marché aux poissons, après une inspection "
          "qui a révélé des fissures dans la charpente et des problèmes d'évacuation des eaux.</p>"
          "<p>Les commerçants disent qu'ils n'ont pas été consultés et demandent un lieu provisoire pour continuer "
          "à vendre leurs produits pendant les travaux, qui devraient durer au moins un an.</p>"
          "</article></body></html>").encode()


def test_days_and_languages_outside_the_filters_are_rejected_with_their_reason(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc.gz", [
        ("https://news.example/early", page("Ferry aground", TOPICS[0], "2025-03-01", 1), "text/html"),
        ("https://news.example/inside", page("Cycle bridge opens", TOPICS[1], "2025-03-10", 2), "text/html"),
        ("https://news.example/late", page("Power cut", TOPICS[3], "2025-03-20", 3), "text/html"),
        ("https://news.example/undated", page("Fish market", TOPICS[2], None, 4), "text/html"),
        ("https://news.example/fr", FRENCH, "text/html"),
    ], gz=True)
    settings = load_settings(env={}, db=str(tmp_path / "x.db"), workers=1, since="2025-03-05", until="2025-03-15",
                             languages="en")
    with Store(settings.db) as store:
        summary = ingest([str(warc)], store, settings)
        kept = sorted(a.url for a in store.iter_articles())
    assert kept == ["https://news.example/inside", "https://news.example/undated"]
    rejected = [(r.reason, r.detail) for r in summary.rejected]  # in input order: early, late, the French one
    assert [reason for reason, _ in rejected] == ["outside_dates", "outside_dates", "language_filtered"], rejected
    assert "published 2025-03-01, before 2025-03-05" in rejected[0][1]
    assert "published 2025-03-20, after 2025-03-15" in rejected[1][1]
    assert "language is 'fr'; ingest keeps ['en']" in rejected[2][1]
    assert all(r.source.startswith(str(warc)) for r in summary.rejected)
    assert summary.read == 5 and summary.stored == 2

    everything = load_settings(env={}, db=str(tmp_path / "y.db"), workers=1)
    with Store(everything.db) as store:
        assert ingest([str(warc)], store, everything).stored == 5, "without filters nothing is left out"


def test_a_bad_day_or_an_empty_window_is_refused_by_name(tmp_path):
    with pytest.raises(ConfigError, match="'since' has value '2025-13-01', which is not a day"):
        load_settings(env={}, db=str(tmp_path / "x.db"), since="2025-13-01")
    settings = load_settings(env={}, db=str(tmp_path / "x.db"), since="2025-03-15", until="2025-03-01")
    with Store(settings.db) as store, pytest.raises(ConfigError, match="'since' .2025-03-15. is after 'until'"):
        ingest([str(tmp_path)], store, settings)
