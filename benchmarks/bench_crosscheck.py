"""Speed of cross-checking one story: a generated story of 50 articles (``--articles``), timed.

    .venv/bin/python benchmarks/bench_crosscheck.py [--articles 50] [--runs 5] [--seed 7]

The story is one event (an explosion at a plant in a real city) reported by 50 articles from
about 35 outlets, some of them syndicated copies (``duplicate_of``), each around 4,000 characters
of text with the facts the facts stage would store: the event record, the main event and a dozen
secondary events, 60 entities with titles, 40 places, dates (the event's day in different words,
an end date, clock times), casualty figures (some outlets give another injured count), counts,
distances, quotes (the same statement worded apart, split, respelled; one misattributed) and
claims; a few articles have no publication date and say "last night". Articles, analyses, facts
and the story are written to a temporary SQLite store, then :func:`crosscheck_story` is timed:
the first call (reference data loaded on first use) and the median of ``--runs`` later ones,
which is the figure the target (< 1 s for 50 articles) is about.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosswire.models import Analysis, Article, Fact  # noqa: E402
from crosswire.store import Store  # noqa: E402
from crosswire.times import utcnow_iso  # noqa: E402

OUTLETS = [f"{a}{b}.example" for a in ("daily", "morning", "evening", "city", "metro", "coast", "valley")
           for b in ("post", "times", "herald", "wire", "ledger")]
PEOPLE = [("Anna Kowalczyk", "commander of the city fire service"), ("Piotr Zielinski", "plant director"),
          ("Marek Nowak", "regional governor"), ("Ewa Wisniewska", "company spokeswoman"),
          ("Jan Lewandowski", "police spokesman"), ("Olga Mazur", "Health Minister")]
PLACES = [("Gdańsk", 3099434, "PL", 54.35227, 18.64912, "city"), ("Poland", 798544, "PL", 51.8516, 19.0854, "country"),
          ("Gdynia", 3099424, "PL", 54.51889, 18.53188, "city"), ("Warsaw", 756135, "PL", 52.22977, 21.01178, "city"),
          ("Germany", 2921044, "DE", 51.5, 10.5, "country"), ("Sopot", 3085151, "PL", 54.4418, 18.56003, "city")]
QUOTE = ("The fire started in the solvent store and reached two storage tanks within minutes, and our crews "
         "worked through the night to keep it from spreading to the harbour")
QUOTE_VARIANTS = [QUOTE, QUOTE.replace("started", "began").replace(", and", ". And"),
                  "The fire began in the solvent store", "our crews worked through the night to keep it from "
                  "spreading to the harbour", QUOTE.replace("harbour", "harbor")]
FILLER = ("Residents said they heard a loud bang before the smoke rose over the port. The company has operated "
          "the site for decades and employs hundreds of people. Investigators will examine the storage hall "
          "once the structure is safe. Officials urged people to keep windows closed. ")


class Writer:
    """Text built piece by piece, with the spans of the facts written into it."""

    def __init__(self, aid: str):
        self.aid, self.parts, self.n, self.facts = aid, [], 0, []

    def add(self, text: str) -> tuple[int, int]:
        start = self.n
        self.parts.append(text)
        self.n += len(text)
        return start, self.n

    def fact(self, kind: str, about: str, value, text: str, role: str | None = None, **detail) -> None:
        s, e = self.add(text)
        self.facts.append(Fact(self.aid, kind, about, value, text, s, e, "bench.v1", 0.8, role, detail))

    @property
    def text(self) -> str:
        return "".join(self.parts)


def article(i: int, rng: random.Random, event: date, originals: list[str]) -> tuple[Article, Analysis]:
    aid = f"bench{i:04d}"
    outlet = OUTLETS[i % len(OUTLETS)]
    undated = i % 17 == 5
    published = None if undated else (event + timedelta(days=rng.choice((0, 0, 1, 1, 2)))).isoformat()
    w = Writer(aid)
    lead_start = w.n
    w.add("An explosion and fire at a chemical plant in ")
    w.fact("place", "event.where", dict(zip(("name", "geonameid", "country", "lat", "lon", "feature"), PLACES[0]),
                                        admin1="82"), "Gdańsk", "event")
    w.add(" killed ")
    killed = 3
    w.fact("casualties", "killed", {"value": killed, "low": killed, "high": killed, "qualifier": None, "unit": None},
           "three workers", "event", cue="killed")
    w.add(" and injured ")
    injured = 15 if i % 11 == 3 else 12
    w.fact("casualties", "injured", {"value": injured, "low": injured, "high": injured, "qualifier": None,
                                     "unit": None}, f"{injured} people", "event", cue="injured")
    w.add(" ")
    when = "last night" if undated else "on Tuesday"
    w.fact("date", "event.when", {"value": None if undated else event.isoformat(), "type": "DATE",
                                  "precision": "day", "anchored": not undated}, when, "event")
    w.add(", officials said.\n\n")
    main = Fact(aid, "event", "main", {"cameo": None, "label": "accident: explosion"}, w.text[lead_start:w.n - 2],
                lead_start, w.n - 2, "bench.v1", 0.8, "event", {"trigger": "explosion"})
    w.facts.append(main)
    w.add("The blast happened at about ")
    w.fact("date", "time", {"value": f"{event.isoformat()}T0{6 if i % 13 else 7}:40", "type": "TIME",
                            "precision": "time", "anchored": True}, f"{6 if i % 13 else 7}:40 a.m.")
    w.add(" in a storage hall. The clean-up will continue until ")
    w.fact("date", "time", {"value": (event + timedelta(days=10)).isoformat(), "type": "DATE", "precision": "day",
                            "anchored": True}, (event + timedelta(days=10)).strftime("%B %d").replace(" 0", " "))
    w.add(" after the explosion.\n\n")
    w.fact("count", "firefighter", {"value": 110, "low": 99, "high": 121, "qualifier": "about", "unit": None},
           "About 110 firefighters")
    w.add(" fought the fire for hours. The site lies ")
    km = 30 if i % 19 == 7 else 65
    w.fact("distance", "distance", {"value": km, "low": km * 0.9, "high": km * 1.1, "qualifier": "about", "unit": "km"},
           f"about {km} km", places=["the Russian border"])
    w.add(" from the Russian border.\n\n")
    for n, (name, title) in enumerate(PEOPLE):
        w.add(f"{title.capitalize()} ")
        w.fact("entity", "PERSON", name, name, title=title if not (n == 5 and i % 23 == 4) else "Foreign Minister")
        w.add(f" spoke to reporters in ")
        p = PLACES[(n + i) % len(PLACES)]
        w.fact("place", "place", dict(zip(("name", "geonameid", "country", "lat", "lon", "feature"), p)), p[0],
               "mentioned", via="name")
        w.add(". ")
    w.add("\n\n")
    speaker = "Anna Kowalczyk" if i % 29 != 9 else "Piotr Zielinski"
    q = QUOTE_VARIANTS[i % len(QUOTE_VARIANTS)]
    w.add("\u201c")
    w.fact("quote", speaker, {"speaker": speaker, "speaker_title": "fire commander", "speaker_kind": "person",
                              "cue": "say", "channel": None}, q)
    w.add(f"\u201d {speaker} said.\n\n")
    w.add("Police said ")
    w.fact("claim", "police", {"speaker": "police", "speaker_title": None, "speaker_kind": "organization",
                               "cue": "say", "channel": None}, "there was no sign of sabotage at the plant")
    w.add(". It is the first time such a blast has hit the port.\n\n" if i % 7 else
          ". Blasts have hit the port before, in 2019.\n\n")
    for k in range(12):
        s, e = w.add(f"Secondary development number {k} was reported near the port. ")
        w.facts.append(Fact(aid, "event", "secondary", {"cameo": "010", "label": "Make statement"},
                            w.text[s:e], s, e, "bench.v1", 0.5, None, {"trigger": "reported"}))
    for k in range(54):
        w.add(" Mr ")
        w.fact("entity", rng.choice(("PERSON", "ORG", "GPE")), f"Name{k}", f"Name{k}")
        w.add(" was mentioned.")
        if k % 2 == 0:
            w.add(" In ")
            p = PLACES[k % len(PLACES)]
            w.fact("place", "place", dict(zip(("name", "geonameid", "country", "lat", "lon", "feature"), p)), p[0],
                   "mentioned", via="name")
            w.add(".")
    w.add("\n\n" + FILLER * 3)
    text = w.text
    duplicate_of = originals[i % len(originals)] if i % 9 == 8 and originals else None
    art = Article(id=aid, title=f"Plant explosion kills three in Gdańsk ({i})", text=text, outlet=outlet,
                  url=f"https://{outlet}/{aid}", authors=[], published=published,
                  published_source="metadata" if published else None, language="en", ingested_at=utcnow_iso(),
                  source=f"bench:{aid}", duplicate_of=duplicate_of, similarity=0.9 if duplicate_of else None,
                  text_hash=aid)
    record = {"type": {"cameo": None, "label": "accident: explosion"},
              "when": {"start": published and event.isoformat(), "end": published and event.isoformat(),
                       "precision": "day"},
              "where": [w.facts[0].value], "killed": killed, "injured": injured,
              "actors": [{"text": "Orlexa Chemicals", "start": 0, "end": 10, "source": "body"}]}
    return art, Analysis(aid, "analyzed", facts=w.facts, event=record)


def build(path: Path, n: int, seed: int) -> str:
    """A store at ``path`` holding one story of ``n`` generated articles; returns its id."""
    rng = random.Random(seed)
    event = date(2025, 3, 11)
    sid = "benchstory000001"
    now = utcnow_iso()
    with Store(path) as store:
        originals: list[str] = []
        for i in range(n):
            art, analysis = article(i, rng, event, originals)
            with store.transaction() as c:
                store.insert_article(art, None)
                store.save_analysis(analysis, "bench", None)
                if i == 0:
                    c.execute("INSERT INTO stories(id, title, model, created_at, updated_at) VALUES (?,?,?,?,?)",
                              (sid, art.title, "bench", now, now))
                c.execute("INSERT INTO story_articles(article_id, story_id, role, method, why, seq, placed_at) "
                          "VALUES (?,?,?,?,?,?,?)", (art.id, sid, "copy" if art.duplicate_of else "original",
                                                    "copy" if art.duplicate_of else "joined", "{}", i, now))
            if art.duplicate_of is None:
                originals.append(art.id)
    return sid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    from crosswire.crosscheck.story import crosscheck_changed, crosscheck_story

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        sid = build(db, args.articles, args.seed)
        with Store(db) as store:
            n_facts = store.count_facts()
            t0 = time.perf_counter()
            record = crosscheck_story(store, sid)
            first = time.perf_counter() - t0
            runs = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                crosscheck_story(store, sid)
                runs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            summary = crosscheck_changed(store)
            cached = time.perf_counter() - t0
    s = record["summary"]
    print(f"# one story: {args.articles} articles, {n_facts} stored facts -> {s['facts']} facts "
          f"({s['corroborated']} corroborated, {s['single_source']} single source, {s['conflict']} in conflict), "
          f"{len(record['quotes'])} quotes, {len(record['checks'])} checks, "
          f"{len(record['published_inferred'])} publication days inferred")
    print(f"first_call_seconds {first:.3f}")
    print(f"crosscheck_seconds {statistics.median(runs):.3f}")
    print(f"crosscheck_changed_seconds {cached:.3f} (computed {summary.computed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
