"""The Dask engine on a real LocalCluster (2 worker processes on loopback): the same stories and facts as a
run on this machine, a worker killed mid-run losing and doubling nothing, and clear errors."""

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from crosswire.config import load_settings
from crosswire.errors import ConfigError
from crosswire.extract.analyze import analyze
from crosswire.extract.article import PIPELINE
from crosswire.ingest.pipeline import ingest
from crosswire.present.exports import export
from crosswire.progress import Progress
from crosswire.scale import ClusterError, open_engine, wanted
from crosswire.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "crosswire" / "demo" / "corpus"
# ../shared/corpora beside the checkout, or CROSSWIRE_CORPORA (a worktree elsewhere)
CORPORA = Path(os.environ.get("CROSSWIRE_CORPORA") or ROOT.parent / "shared" / "corpora")
GVC = CORPORA / "gvc" / "documents.jsonl"
SMALL_BATCHES = {"CROSSWIRE_BATCH_SIZE": "3", "CROSSWIRE_ANALYZE_BATCH": "3"}  # several batches per worker


def gvc_articles(folder: Path, incidents: int = 2, per_incident: int = 3) -> Path:
    """A JSONL file of real GVC train articles (several reports of each of the first incidents), written
    at test time into ``folder``: the corpus text never enters the project."""
    by_incident: dict[str, list[dict]] = {}
    with GVC.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["split"] == "train":
                by_incident.setdefault(d["incident_id"], []).append(d)
    chosen = [docs[:per_incident] for docs in by_incident.values() if len(docs) >= per_incident][:incidents]
    path = folder / "gvc.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for docs in chosen:
            for d in docs:
                out.write(json.dumps({"title": d["title"], "maintext": d["text"], "url": d["uri"],
                                      "date_publish": d["dct"], "language": "en"}) + "\n")
    return path


def inputs(tmp_path: Path) -> list[str]:
    paths = [str(DEMO)]
    if GVC.is_file():
        paths.append(str(gvc_articles(tmp_path)))
    return paths


def crosswire(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosswire", *args], capture_output=True, timeout=600,
                          env={**os.environ, **SMALL_BATCHES, **(env or {})})


def exported(db: Path, what: str) -> bytes:
    out = db.with_suffix(f".{what}.jsonl")
    done = crosswire("export", "--what", what, "--format", "jsonl", str(out), "--db", str(db), "--quiet")
    assert done.returncode == 0, done.stderr.decode()
    return out.read_bytes()


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of 2 worker processes, 1 thread each, on loopback; its client for looking inside."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
    client = Client(cluster, set_as_default=False)
    try:
        yield cluster.scheduler_address, client
    finally:
        client.close()
        cluster.close()


def tasks_run(client, prefix: str) -> int:
    """How many tasks whose key starts with ``prefix`` the scheduler saw finish."""
    def count(dask_scheduler) -> int:  # type: ignore[no-untyped-def]
        p = dask_scheduler.task_prefixes.get(prefix)
        return 0 if p is None else sum(n for state, n in p.state_counts.items() if state in ("memory", "released",
                                                                                             "forgotten"))
    return client.run_on_scheduler(count)


def test_run_on_a_dask_cluster_gives_the_same_stories_and_facts_as_on_this_machine(tmp_path, scheduler):
    address, client = scheduler
    paths = inputs(tmp_path)
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    local = crosswire("run", *paths, "--db", str(here), "--workers", "1", "--quiet")
    assert local.returncode == 0, local.stderr.decode()
    before = (tasks_run(client, "crosswire_documents"), tasks_run(client, "crosswire_articles"))
    remote = crosswire("run", *paths, "--db", str(there), "--cluster", address, "--quiet")
    assert remote.returncode == 0, remote.stderr.decode()
    after = (tasks_run(client, "crosswire_documents"), tasks_run(client, "crosswire_articles"))
    assert after[0] - before[0] >= 5 and after[1] - before[1] >= 5, "ingest and analysis ran on the cluster"
    assert _same_but_times(remote.stdout, local.stdout)
    assert exported(there, "stories") == exported(here, "stories")
    assert exported(there, "facts") == exported(here, "facts")
    assert len(exported(there, "stories").splitlines()) >= 3 if GVC.is_file() else 2


def _same_but_times(a: bytes, b: bytes) -> bool:
    """The printed summaries agree once the time figures are taken out."""
    import re

    def strip(s: bytes) -> str:
        return re.sub(r"time [0-9.]+s( \([0-9.]+ articles/s\))?", "time", s.decode())
    return strip(a) == strip(b)


class KillAWorker(Progress):
    """After the first batch is stored, kill (SIGKILL) a worker process that is running a batch."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.killed: int | None = None

    def advance(self, n: int = 1) -> None:
        if self.killed is not None:
            return
        pids = self.client.run(os.getpid)
        busy = [w for w, keys in self.client.processing().items() if keys] or list(pids)
        self.killed = pids[busy[0]]
        os.kill(self.killed, signal.SIGKILL)


def test_a_worker_killed_mid_run_loses_no_article_and_doubles_none(tmp_path):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    settings = load_settings(env={}, db=str(here), workers=1, analyze_batch=2)
    with Store(str(here)) as store:
        ingest(inputs(tmp_path), store, settings)
    shutil.copy(here, there)
    with Store(str(here)) as store:
        analyze(store, settings)
        export(store, "facts", "jsonl", str(tmp_path / "here.facts.jsonl"))

    cluster_settings = load_settings(env={}, db=str(there), engine="dask", workers=2, analyze_batch=2)
    assert wanted(cluster_settings)
    with Store(str(there)) as store, open_engine(cluster_settings) as engine:
        pending = len(store.pending_analysis(PIPELINE))
        kill = KillAWorker(engine.client)
        summary = analyze(store, cluster_settings, progress=kill, engine=engine)
        pids = set(engine.client.run(os.getpid).values())
        export(store, "facts", "jsonl", str(tmp_path / "there.facts.jsonl"))
        stored = store.conn.execute("SELECT count(*) FROM analyses").fetchone()[0]
    assert kill.killed is not None and kill.killed not in pids, "the worker was killed and replaced"
    assert engine.stats.workers_lost >= 1
    assert len(summary.article_ids) == len(set(summary.article_ids)) == pending == stored == engine.stats.items
    assert (tmp_path / "there.facts.jsonl").read_bytes() == (tmp_path / "here.facts.jsonl").read_bytes()
    for pid in pids | {kill.killed}:  # the local cluster is closed with the run: no worker outlives it
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_an_unreachable_scheduler_is_named(tmp_path):
    import socket

    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = load_settings(env={}, db=str(tmp_path / "x.db"), cluster=f"tcp://127.0.0.1:{port}")
    with pytest.raises(ClusterError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        with open_engine(settings, connect_timeout=1.0):
            pass


def test_a_missing_dask_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what Python does when the package is not there
    settings = load_settings(env={}, db=str(tmp_path / "x.db"), engine="dask")
    with pytest.raises(ClusterError, match="needs Dask distributed.*pip install 'distributed=="):
        with open_engine(settings):
            pass


def test_an_unknown_engine_is_refused_by_name(tmp_path):
    with pytest.raises(ConfigError, match="'engine' has value 'spark'; use processes or dask"):
        load_settings(env={}, db=str(tmp_path / "x.db"), engine="spark")
    done = crosswire("run", str(DEMO), "--engine", "spark", "--db", str(tmp_path / "x.db"))
    assert done.returncode == 1 and "'engine' has value 'spark'" in done.stderr.decode()
    assert not (tmp_path / "x.db").exists(), "refused before anything is written"


def test_without_the_engine_setting_nothing_asks_for_dask(tmp_path):
    assert not wanted(load_settings(env={}, db=str(tmp_path / "x.db")))
    assert wanted(load_settings(env={}, db=str(tmp_path / "x.db"), cluster="tcp://10.0.0.1:8786"))
