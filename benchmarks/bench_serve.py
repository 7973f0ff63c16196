"""crosswire serve under load, on loopback only: a store of many stories, the story page and the story
JSON at 1, 10 and 50 concurrent clients (p50/p99), the catalog build, and the server's memory.

    .venv/bin/python benchmarks/bench_serve.py [--stories 10000] [--requests 400] [--clients 1,10,50]
        [--fresh-views]

The store: the demo corpus is run through every stage once (``crosswire demo``), then its stories
are copied, with their articles, analyses, publication records and cached cross-checked records
(ids rewritten, each copy's ``articles_hash`` recomputed so the server takes the cache as current),
until there are ``--stories`` of them. Facts are not copied (the story page and its JSON read the
cached record; the article pages are not measured here), so the search catalog indexes titles and
text only. The store is kept in ``--folder`` and reused by later runs of the same size.

The server is the real command (``python -m crosswire serve --read-only``) in its own process; the
client (``--client``: by default a minimal HTTP/1.1 client on asyncio streams, keep-alive, TCP_NODELAY;
or httpx's async client) runs in this process, so on a 2-core machine the two
share the cores: the figures are an upper bound of what the server alone needs. Each level sends
``--requests`` requests per kind, at most ``clients`` at a time: the story page and the story JSON
of random stories (almost every one a first view of this server: from the views rendered ahead), then the same of stories
seen before (``--seen``: drawn from that many stories requested once beforehand, served from the
server's response cache). ``cpu ms/req`` is the server process's own CPU time (user + system) per
request, which the load of other processes on the machine hardly changes; the latencies it does.
``client ms/req`` is this process's CPU per request (the client, on the same cores). ``idle est`` is what
the latency of a request would be on an idle machine if the server were the only thing queueing:
``clients x cpu ms/req`` (each of ``clients`` requests in flight waits for the others ahead of it in
the one server process); a figure for a shared machine where the measured latencies mostly say how
busy the other processes kept the cores. ``load`` is the machine's 1-minute load average as the level
ends. The client freezes its own heap before the levels (``gc.freeze``): a full collection of the
client's ~200,000 objects (120-130 ms) would otherwise show as a stall of the server.

The server renders every story's views ahead (``crosswire serve`` always does) in a warmer process
into a file beside its catalog; the benchmark waits until the warmer has been through every story
(printing how long that took and the warmer's CPU) before it measures, so "story page" and "story
JSON" measure first views served from that file. The file is kept for the next run of the same store
(``--fresh-views`` deletes it first).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
COPIED = {  # table -> the columns holding an article id or a story id to rewrite
    "article_records": ("id",),
    "copies": ("article_id", "duplicate_of"),
    "analyses": ("article_id",),
    "published_inferences": ("article_id", "story_id"),
    "published_migrated": ("article_id",),
    "stories": ("id",),
    "story_articles": ("article_id", "story_id"),
}


def _current(db: Path) -> bool:
    """The store exists, has every migration, and its cached story records are those of this crosswire
    (their ``articles_hash`` holds the cross-check's stage versions): else the server would compute
    every record on the spot and the figures would measure that."""
    from crosswire.crosscheck.story import articles_hash
    from crosswire.errors import StoreError
    from crosswire.store import Store

    if not db.exists():
        return False
    try:
        store = Store.open_read(db)
    except StoreError:
        return False
    try:
        rows = store.conn.execute("SELECT b.story_id, b.articles_hash FROM briefings b JOIN stories s ON s.id = "
                                  "b.story_id WHERE s.status = 'active' ORDER BY b.rowid LIMIT 3").fetchall()
        return bool(rows) and all(articles_hash(store, sid) == h for sid, h in rows)
    finally:
        store.close()


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def _demo(folder: Path) -> Path:
    db = folder / "demo.db"
    if not _current(db):
        print(f"{db}: missing or made by another version of crosswire; running the demo again", flush=True)
        _remove(db)
        from crosswire.config import Settings
        from crosswire.demo import run_demo

        run_demo(Settings(db=str(db), workers=1), folder / "demo.html")
    return db


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def build(folder: Path, n_stories: int) -> Path:
    """A store of ``n_stories`` stories made of copies of the demo's (see the module's docstring)."""
    from crosswire.crosscheck.story import articles_hash
    from crosswire.store import Store

    db = folder / f"serve-{n_stories}.db"
    if _current(db):
        return db
    _remove(db)
    demo = _demo(folder)
    tmp = folder / f"serve-{n_stories}.db.tmp"
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(demo)
    dst = sqlite3.connect(tmp)
    src.backup(dst)
    src.close()
    dst.execute("DELETE FROM facts")
    dst.commit()
    dst.close()
    started = time.perf_counter()
    with Store(tmp) as store:
        conn = store.conn
        stories = [r[0] for r in conn.execute("SELECT id FROM stories WHERE status = 'active' ORDER BY id")]
        members = {s: [r[0] for r in conn.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (s,))]
                   for s in stories}
        records = {s: conn.execute("SELECT json FROM briefings WHERE story_id = ?", (s,)).fetchone()[0] for s in stories}
        rows = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in COPIED}
        cols = {t: _columns(conn, t) for t in COPIED}
        copies = (n_stories + len(stories) - 1) // len(stories) - 1
        for k in range(1, copies + 1):
            tag = f"{k:06x}"

            def new(old: str, tag: str = tag) -> str:
                return old[:10] + tag

            with store.transaction() as c:
                for t, id_cols in COPIED.items():
                    idx = [cols[t].index(x) for x in id_cols]
                    out = []
                    for r in rows[t]:
                        r = list(r)
                        for i in idx:
                            if r[i] is not None:
                                r[i] = new(r[i])
                        if t == "stories":
                            r[cols[t].index("merged_into")] = None
                        out.append(r)
                    c.executemany(f"INSERT INTO {t} VALUES ({','.join('?' * len(cols[t]))})", out)
                for s in stories:
                    text = records[s]
                    for old in [s, *members[s]]:
                        text = text.replace(f'"{old}"', f'"{new(old)}"')
                    c.execute("INSERT INTO briefings(story_id, json, computed_at, articles_hash) VALUES (?, ?, ?, ?)",
                              (new(s), text, "2026-01-01T00:00:00+00:00", articles_hash(store, new(s))))
            if k % 500 == 0:
                print(f"  copied {k * len(stories)} stories ({time.perf_counter() - started:.0f} s)", flush=True)
    os.replace(tmp, db)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    print(f"built {db} ({db.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s", flush=True)
    return db


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Conn:
    """One kept-alive HTTP/1.1 connection, the least a client can do per request (``--client raw``):
    a GET written whole, the status line and headers read, then exactly Content-Length bytes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            assert self.reader is not None
            self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept-Encoding: gzip\r\n"
                              "Accept: text/html,application/json\r\n\r\n".encode())
            try:
                head = await self.reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                self.writer.close()
                self.writer = None  # the server closed a kept-alive connection: once more on a new one
                if attempt:
                    raise
                continue
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            length = next((int(x.split(":", 1)[1]) for x in lines[1:] if x.lower().startswith("content-length:")), 0)
            return status, await self.reader.readexactly(length)
        raise RuntimeError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _level_raw(base: str, paths: list[str], clients: int, n: int, every: bool = False) -> list[float]:
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    times: list[float] = []
    rng = random.Random(clients)
    todo = list(paths) if every else [rng.choice(paths) for _ in range(n)]
    conns = [_Conn(parts.hostname or "127.0.0.1", parts.port or 80) for _ in range(clients)]
    await conns[0].get(todo[0])  # warm-up

    async def worker(conn: _Conn) -> None:
        while todo:
            path = todo.pop()
            t0 = time.perf_counter()
            status, body = await conn.get(path)
            times.append(time.perf_counter() - t0)
            if status != 200:
                raise RuntimeError(f"{path}: {status} {body[:200]!r}")

    try:
        await asyncio.gather(*(worker(c) for c in conns))
    finally:
        for c in conns:
            c.close()
    return times


async def _level(base: str, paths: list[str], clients: int, n: int, every: bool = False) -> list[float]:
    import httpx

    transport = httpx.AsyncHTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
                                         limits=httpx.Limits(max_connections=clients))
    times: list[float] = []
    dropped: list[str] = []
    rng = random.Random(clients)
    todo = list(paths) if every else [rng.choice(paths) for _ in range(n)]

    async with httpx.AsyncClient(base_url=base, transport=transport, timeout=120) as client:
        await client.get(todo[0])  # warm-up

        async def worker() -> None:
            while todo:
                path = todo.pop()
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                except httpx.TransportError:  # a kept-alive connection the server closed as it was reused
                    dropped.append(path)
                    r = await client.get(path)
                times.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")

        await asyncio.gather(*(worker() for _ in range(clients)))
    if dropped:
        print(f"  ({len(dropped)} requests retried after the server closed a kept-alive connection)")
    return times


def _cpu(proc) -> float:  # type: ignore[no-untyped-def]
    """The server process's CPU seconds so far (user + system): its own cost, whatever else loads the machine."""
    t = proc.cpu_times()
    return t.user + t.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400, help="requests per kind and level")
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--no-list", action="store_true", help="skip the stories list (its catalog build)")
    parser.add_argument("--seen", type=int, default=200, help="stories requested before the 'seen' kinds")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/crosswire-bench-serve"))
    parser.add_argument("--fresh-views", action="store_true", help="delete the views rendered by an earlier run")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="raw: a minimal HTTP/1.1 client on asyncio streams (~10x less CPU per request than "
                             "httpx, so the figures say more about the server); httpx: httpx's async client")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    import httpx
    import psutil

    db = build(args.folder, args.stories)
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    ids = [r[0] for r in conn.execute("SELECT id FROM stories WHERE status = 'active'")]
    conn.close()
    port = _free_port()
    cache = args.folder / f"serve-{args.stories}.catalog.sqlite"
    cache.unlink(missing_ok=True)
    views = cache.with_name(f"{cache.stem}.views{cache.suffix}")
    if args.fresh_views:
        for suffix in ("", "-wal", "-shm"):
            Path(str(views) + suffix).unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    server = subprocess.Popen([sys.executable, "-m", "crosswire", "serve", "--db", str(db), "--read-only",
                               "--port", str(port), "--cache", str(cache)], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{base}/favicon.ico", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start: " + server.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        proc = psutil.Process(server.pid)
        rss_start = proc.memory_info().rss
        t0 = time.perf_counter()  # the server renders every story's views ahead: measured once that is done
        while not (status := httpx.get(f"{base}/changes.json", timeout=60).json()["prerendered"])["ready"]:
            time.sleep(1.0)
        cpu = sum(_cpu(w) for w in proc.children())
        print(f"views rendered ahead: {status['stories']} stories ready {time.perf_counter() - t0:.0f} s after "
              f"the server started answering (warmer CPU {cpu:.0f} s; views file {views.stat().st_size / 1e6:.0f} "
              "MB)", flush=True)
        catalog = -1.0
        if not args.no_list:
            t0 = time.perf_counter()
            listed = httpx.get(f"{base}/stories.json", params={"limit": 50}, timeout=600).json()
            catalog = time.perf_counter() - t0
            t0 = time.perf_counter()
            httpx.get(f"{base}/stories.json", params={"q": "explosion", "country": "PL", "sort": "sources"},
                      timeout=60)
            search = time.perf_counter() - t0
            print(f"stories: {len(ids)} (listed total {listed['total']}); catalog build on first list {catalog:.1f} "
                  f"s; a search with filters then {search * 1000:.0f} ms")
        print(f"server RSS at start {rss_start / 1e6:.0f} MB; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores")
        print(f"{'clients':>7} {'kind':>12} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>7} {'cpu ms/req':>10} "
              f"{'client ms/req':>13} {'idle est ms':>11} {'load':>5}")
        result = {}
        seen = random.Random(0).sample(ids, min(args.seen, len(ids)))
        level = _level_raw if args.client == "raw" else _level
        gc.collect()
        gc.freeze()  # the client's own full collections out of the figures (see the module's docstring)
        asyncio.run(level(base, [f"/stories/{i}{x}" for i in seen for x in ("", ".json")], 4, 2 * len(seen),
                           every=True))
        kinds = (("story page", [f"/stories/{i}" for i in ids]), ("story JSON", [f"/stories/{i}.json" for i in ids]),
                 ("page, seen", [f"/stories/{i}" for i in seen]), ("JSON, seen", [f"/stories/{i}.json" for i in seen]))
        for clients in (int(c) for c in args.clients.split(",")):
            for kind, paths in kinds:
                t0, cpu0, mine0 = time.perf_counter(), _cpu(proc), time.process_time()
                times = asyncio.run(level(base, paths, clients, args.requests))
                wall, cpu = time.perf_counter() - t0, (_cpu(proc) - cpu0) / (len(times) + 1) * 1000
                mine = (time.process_time() - mine0) / (len(times) + 1) * 1000
                q = statistics.quantiles(times, n=100, method="inclusive")
                p50, p99 = statistics.median(times) * 1000, q[98] * 1000
                load = os.getloadavg()[0]
                result[f"{clients} {kind}"] = {"p50_ms": round(p50, 1), "p99_ms": round(p99, 1),
                                               "rps": round(len(times) / wall, 1), "cpu_ms": round(cpu, 2),
                                               "client_ms": round(mine, 2), "idle_est_ms": round(clients * cpu, 1),
                                               "load": round(load, 1)}
                print(f"{clients:>7} {kind:>12} {len(times):>5} {p50:>8.1f} {p99:>8.1f} {len(times) / wall:>7.1f} "
                      f"{cpu:>10.2f} {mine:>13.2f} {clients * cpu:>11.1f} {load:>5.1f}", flush=True)
        rss = proc.memory_info().rss
        print(f"server RSS after the runs {rss / 1e6:.0f} MB; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores")
        print(json.dumps({"stories": len(ids), "catalog_s": round(catalog, 2), "rss_mb": round(rss / 1e6),
                          "levels": result}))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        if server.stderr:
            server.stderr.close()


if __name__ == "__main__":
    main()
