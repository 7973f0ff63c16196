"""crosswire watch on loopback: 50 feeds x 20 items end to end, and seconds from an item appearing to its alert.

    .venv/bin/python benchmarks/bench_watch.py [--feeds 50] [--items 20] [--latency-runs 3] [--keep DIR]

A real HTTP server on 127.0.0.1 serves ``--feeds`` RSS feeds of ``--items`` items each; every item links
to its own generated article page (templated local-news sentences with random towns, names and figures:
no two bodies are copies; nothing is taken from a corpus). Phase 1 (throughput): one ``--once`` watch
over every feed fetches each page and runs it through ingest -> analyze -> group -> cross-check ->
rules in batches of ``[watch] batch`` (20); prints items/s end to end and the time per stage. Phase 2
(latency): a watch runs in a thread, each feed polled every second; a new item (a report of military
exercises near the Polish border, our own text) is added to one feed at t0; the time until the rule
"military activity within 50 km of Poland's border" delivers its alert is measured, ``--latency-runs``
times (each a different event: Hrodna, Baltiysk, Druskininkai, Suwalki, Przemysl), once the watch has
started (its first poll reported). ``--keep DIR --port P --latency-only``
measures phase 2 again on the store of an earlier run (its items already seen).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.config import Settings  # noqa: E402
from crosswire.store import Store  # noqa: E402
from crosswire.watch.config import load_rules, load_sources  # noqa: E402
from crosswire.watch.loop import Watcher  # noqa: E402
from crosswire.watch.sinks import CallSink  # noqa: E402

TOWNS = ["Lyon", "Porto", "Tampere", "Brno", "Graz", "Leipzig", "Cork", "Turin", "Malmo", "Split", "Varna", "Riga",
         "Kaunas", "Bergen", "Aarhus", "Ghent", "Seville", "Bilbao", "Utrecht", "Leeds"]
WORKS = ["tram line", "bridge repair", "harbour dredging", "school roof", "flood barrier", "library wing",
         "bus depot", "cycle lane", "water main", "sports hall", "hospital wing", "ring road"]
NAMES = ["Anna Berg", "Piotr Novak", "Maria Silva", "Jan Keller", "Eva Moreau", "Tomas Horvat", "Sofia Rossi",
         "Lukas Jansen", "Elena Petrov", "Marek Dvorak"]
# events within 50 km of Poland's border, each a different story (a report of the same event would join
# the story an earlier run alerted on, with the same trigger: no new alert, by design)
BORDER_EVENTS = [
    ("Hrodna", "Belarus's armed forces began military drills near Hrodna on Monday, the defence ministry in Minsk "
               "said, with about 3,000 soldiers and 200 armoured vehicles taking part. The exercises are being held "
               "on training grounds west of the city, close to the border with Poland."),
    ("Baltiysk", "Russia's Baltic Fleet began naval exercises off Baltiysk in the Kaliningrad region on Thursday, "
                 "with 20 warships and about 40 aircraft, the fleet's press office said. Landing craft practised "
                 "putting marines ashore on the Vistula Spit, a few kilometres from the Polish border."),
    ("Druskininkai", "Lithuanian troops and allied units started a two-week field exercise around Druskininkai on "
                     "Saturday, the Lithuanian army said. Some 1,500 soldiers are rehearsing the defence of the "
                     "narrow strip of land between Belarus and Poland, where armoured columns moved at night."),
    ("Suwalki", "Polish and American troops held a live-fire exercise near Suwalki on Wednesday, the Polish army "
                "said, with 60 tanks and 2,000 soldiers defending the gap between Belarus and Kaliningrad."),
    ("Przemysl", "Polish territorial defence units began a three-day drill around Przemysl on Friday, the "
                 "defence ministry in Warsaw said; about 800 volunteers practised guarding bridges over the San."),
]
def article(rng: random.Random, n: int) -> tuple[str, str]:
    town, work, who = rng.choice(TOWNS), rng.choice(WORKS), rng.choice(NAMES)
    cost, months, votes = rng.randint(2, 400), rng.randint(3, 48), rng.randint(20, 60)
    title = f"{town} council approves {cost} million euro {work} plan (case {n})"
    body = (f"<p>The {town} city council approved the {work} on {rng.choice(['Monday', 'Tuesday', 'Thursday'])} "
            f"by {votes} votes to {rng.randint(1, 19)}, officials said. The works will cost about {cost} million euros "
            f"and take {months} months, according to the council's planning office.</p>"
            f"<p>\"This is the largest investment in the district for a decade,\" {who}, who chairs the council's "
            f"transport committee, told reporters. Residents had waited {rng.randint(2, 15)} years for it.</p>"
            f"<p>Opposition councillors said the {work} would disrupt traffic near the old town and asked for a "
            f"review of the tender, which drew {rng.randint(2, 9)} bids. Case number {n} was filed with the "
            f"regional audit office in {town}.</p>")
    return title, body


def drills(k: int, stamp: int) -> tuple[str, str, str, str]:
    """``(town, title, body, published)``: event ``k``, dated months apart from the others (so that it is a
    story of its own), with ``stamp`` in its text (so that a re-run is a new article, not the same text)."""
    town, text = BORDER_EVENTS[k % len(BORDER_EVENTS)]
    title = f"Military exercises near {town}, close to the Polish border"
    body = (f"<p>{text}</p><p>Polish officials said they were following the exercises closely and that border "
            f"guard units near {town} had been put on alert. \"We see no direct threat,\" a spokesman said in "
            f"statement number {stamp}.</p>")
    return town, title, body, f"2026-{1 + 3 * (k % 4):02d}-1{k % 10}T09:00:00Z"


def page(title: str, body: str, site: str, published: str | None = None) -> bytes:
    date = f"<meta property='article:published_time' content='{published}'>" if published else ""
    return (f"<html><head><title>{title}</title><meta property='og:site_name' content='{site}'>{date}</head><body>"
            f"<article><h1>{title}</h1>{body}</article></body></html>").encode()


class Site:
    """Feeds and pages held in memory, served by a threaded HTTP server on 127.0.0.1."""

    def __init__(self, port: int = 0) -> None:
        self.pages: dict[str, bytes] = {}
        self.feeds: dict[str, list[tuple[str, str]]] = {}
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with site.lock:
                    if self.path in site.feeds:
                        base = f"http://127.0.0.1:{self.server.server_address[1]}"
                        items = "".join(f"<item><guid>{base}{p}</guid><title>{t}</title><link>{base}{p}</link></item>"
                                        for p, t in reversed(site.feeds[self.path]))
                        body, ctype = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed</title>"
                                       f"<link>{base}/</link>{items}</channel></rss>").encode(), "application/rss+xml"
                    elif self.path in site.pages:
                        body, ctype = site.pages[self.path], "text/html; charset=utf-8"
                    else:
                        body, ctype = b"", ""
                if not ctype:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, feed: str, path: str, title: str, body: bytes) -> None:
        with self.lock:
            self.pages[path] = body
            self.feeds.setdefault(feed, []).append((path, title))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--latency-runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the store in this folder.")
    ap.add_argument("--events-from", type=int, default=0, help="First of the border events used in phase 2.")
    ap.add_argument("--port", type=int, default=0, help="Serve on this port (0: any free one).")
    ap.add_argument("--latency-only", action="store_true",
                    help="Skip the timing of phase 1 (with --keep and --port of an earlier run: its items are seen).")
    args = ap.parse_args()
    rng = random.Random(14)
    site = Site(args.port)
    for f in range(args.feeds):
        for i in range(args.items):
            n = f * args.items + i
            title, body = article(rng, n)
            site.add(f"/feed{f}.xml", f"/news/{f}/{i}.html", title, page(title, body, f"Outlet {f % 10}"))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-watch-"))
    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / "sources.toml"
    sources.write_text("[watch]\nhost_interval = \"0s\"\nbatch = 20\nconcurrency = 4\n\n" + "".join(
        f"[[source]]\nurl = \"{site.base}/feed{f}.xml\"\nevery = \"1s\"\n\n" for f in range(args.feeds))
        + "[[rule]]\nname = \"military activity within 50 km of Poland's border\"\ncameo = [\"15\"]\n"
        "near_border = { country = \"PL\", km = 50 }\n", encoding="utf-8")
    watched = load_sources(sources)
    rules = load_rules(sources, also=frozenset({"source", "watch"}))
    settings = Settings(db=str(folder / "watch.db"), allow_private=True, workers=0)
    total = args.feeds * args.items
    print(f"python {platform.python_version()}, {platform.machine()}, feeds {args.feeds} x items {args.items} "
          f"= {total} items, store {settings.db}")

    alerts: list[tuple[float, dict]] = []
    sink = CallSink(lambda line: alerts.append((time.monotonic(), json.loads(line))))
    with Store(settings.db) as store:
        started = time.perf_counter()
        summary = Watcher(store, settings, watched, rules, [sink]).run(once=True)
        seconds = time.perf_counter() - started
        stages = {r["command"]: 0.0 for r in store.runs()}
        for r in store.conn.execute("SELECT command, summary FROM runs WHERE summary IS NOT NULL"):
            stages[r[0]] = stages.get(r[0], 0.0) + float(json.loads(r[1]).get("seconds", 0.0) or 0.0)
    if not args.latency_only:
        print(f"phase 1: {summary.stored} stored, {summary.rejected} rejected of {summary.new_items} new items in "
              f"{summary.batches} batches, {summary.stories_changed} story records computed, {summary.alerts} alerts")
        print(f"phase 1: {seconds:.1f}s end to end = {summary.new_items / max(seconds, 1e-9):.2f} items/s")
        print("phase 1: seconds per stage (runs table): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(stages.items())))
    else:
        print(f"phase 1 skipped: {summary.new_items} new items, {summary.polls} polls ({seconds:.1f}s)")

    from crosswire.extract.nlp import load_nlp

    load_nlp()  # phase 1 loaded the model; with --latency-only it is loaded here, not timed in the first run
    delays = []
    with Store(settings.db) as store:
        stop = threading.Event()
        processed: list[float] = []  # when a poll with new items finished its batches
        polled: list[float] = []  # when any poll was reported

        def on_poll(report) -> None:  # type: ignore[no-untyped-def]
            polled.append(time.monotonic())
            if report.new_items:
                processed.append(time.monotonic())

        watcher = Watcher(store, settings, watched, rules, [sink], stop=stop, on_poll=on_poll)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        while not polled:  # the watch's start (catching up on the store) is over: it polls every second
            time.sleep(0.05)
        time.sleep(2.0)
        for k in range(args.latency_runs):
            stamp = int(time.time())
            town, title, body, published = drills(args.events_from + k, stamp)
            before, polls_before = len(alerts), len(processed)
            t0 = time.monotonic()
            site.add(f"/feed{k % args.feeds}.xml", f"/alert/{k}-{stamp}.html", title,
                     page(title, body, "Border Desk", published))
            deadline = t0 + 180
            while len(alerts) == before and time.monotonic() < deadline:
                time.sleep(0.05)
            done = [t for t in processed[polls_before:] if t >= t0]
            through = f"through the pipeline after {done[0] - t0:.2f}s, " if done else ""
            if len(alerts) == before:
                print(f"phase 2: run {k + 1}: exercises near {town}: {through}no alert within 180 s")
                continue
            at, line = alerts[before]
            delays.append(at - t0)
            print(f"phase 2: run {k + 1}: exercises near {town}: {through}alert after {at - t0:.2f}s "
                  f"({line['reason']})")
        stop.set()
        thread.join(timeout=120)
    if delays:
        print(f"phase 2: seconds from an item appearing to its alert: median {statistics.median(delays):.2f}, "
              f"max {max(delays):.2f} over {len(delays)} runs (polled every 1 s, {args.feeds} feeds)")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
