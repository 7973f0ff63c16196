"""The Dask engine on a real LocalCluster (2 worker processes on loopback): the same stories and facts as a
run on this machine, a worker killed mid-run losing and doubling nothing, and clear errors."""

import json
import os
import re
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
from crosswire.run import group_and_check, run_stages
from crosswire.stories import list_stories
from crosswire.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "crosswire" / "demo" / "corpus"
# ../shared/corpora beside the checkout, or CROSSWIRE_CORPORA (a worktree elsewhere)
CORPORA = Path(os.environ.get("CROSSWIRE_CORPORA") or ROOT.parent / "shared" / "corpora")
GVC = CORPORA / "gvc" / "documents.jsonl"


def gvc_articles(folder: Path, incidents: int = 1, per_incident: int = 2) -> Path:
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


def inputs(folder: Path) -> list[str]:
    paths = [str(DEMO)]
    if GVC.is_file():
        paths.append(str(gvc_articles(folder)))
    return paths


def crosswire(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosswire", *args], capture_output=True, timeout=600)


def exported(db: Path, what: str) -> bytes:
    out = db.with_suffix(f".{what}.jsonl")
    with Store.open_read(str(db)) as store:
        export(store, what, "jsonl", str(out))
    return out.read_bytes()


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The demo corpus and a few real GVC reports run on this machine (one process): the store right after
    ingest, and the stories and facts the whole run gives."""
    folder = tmp_path_factory.mktemp("local")
    paths = inputs(folder)
    db = folder / "here.db"
    settings = load_settings(env={}, db=str(db), workers=1, batch_size=3, analyze_batch=3)
    with Store(str(db)) as store:
        ingest(paths, store, settings)
    shutil.copy(db, folder / "ingested.db")
    with Store(str(db)) as store:
        analyze(store, settings)
        group_and_check(store, settings)
    return {"paths": paths, "ingested": folder / "ingested.db", "stories": exported(db, "stories"),
            "facts": exported(db, "facts"), "stdout": _printed(db)}


def _printed(db: Path) -> str:
    with Store.open_read(str(db)) as store:
        return json.dumps(list_stories(store), sort_keys=True, default=str)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """``--engine dask --workers 2``: a LocalCluster of 2 worker processes, 1 thread each, on loopback, started
    by crosswire and closed after the module; no worker process outlives it."""
    settings = load_settings(env={}, db=str(tmp_path_factory.mktemp("dask") / "x.db"), engine="dask", workers=2)
    assert wanted(settings)
    with open_engine(settings) as opened:
        yield opened
        pids = set(opened.client.run(os.getpid).values())
    assert pids and not any(alive(pid) for pid in pids), "no worker outlives the run"


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def tasks_run(client, prefix: str) -> int:
    """How many tasks of the task prefix ``prefix`` the scheduler has seen."""
    def count(dask_scheduler) -> int:  # type: ignore[no-untyped-def]
        p = dask_scheduler.task_prefixes.get(prefix)
        return 0 if p is None else sum(p.state_counts.values())
    return client.run_on_scheduler(count)


def test_run_on_a_dask_cluster_gives_the_same_stories_and_facts_as_on_this_machine(tmp_path, local_run, engine):
    there = tmp_path / "there.db"
    before = (tasks_run(engine.client, "crosswire_documents"), tasks_run(engine.client, "crosswire_articles"))
    settings = load_settings(env={}, db=str(there), cluster=engine.address, batch_size=3, analyze_batch=3)
    with Store(str(there)) as store:  # as `crosswire run PATH... --cluster ADDRESS` does
        run_stages(local_run["paths"], store, settings)
    after = (tasks_run(engine.client, "crosswire_documents"), tasks_run(engine.client, "crosswire_articles"))
    assert after[0] - before[0] >= 5 and after[1] - before[1] >= 5, "ingest and analysis ran on the cluster"
    assert exported(there, "stories") == local_run["stories"]
    assert exported(there, "facts") == local_run["facts"]
    assert _printed(there) == local_run["stdout"]
    assert len(local_run["stories"].splitlines()) >= (3 if GVC.is_file() else 2)


class KillAWorker(Progress):
    """After the first batch is stored, kill (SIGKILL) a worker process that is running a batch."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.killed: int | None = None
        self.notes: list[str] = []

    def note(self, message: str) -> None:
        self.notes.append(message)

    def advance(self, n: int = 1) -> None:
        if self.killed is not None:
            return
        pids = self.client.run(os.getpid)
        busy = [w for w, keys in self.client.processing().items() if keys] or list(pids)
        self.killed = pids[busy[0]]
        os.kill(self.killed, signal.SIGKILL)


def test_a_worker_killed_mid_run_loses_no_article_and_doubles_none(tmp_path, local_run, engine):
    there = tmp_path / "there.db"
    shutil.copy(local_run["ingested"], there)
    settings = load_settings(env={}, db=str(there), engine="dask", workers=2, analyze_batch=2)
    with Store(str(there)) as store:
        pending = len(store.pending_analysis(PIPELINE))
        kill = KillAWorker(engine.client)
        items, lost = engine.stats.items, engine.stats.workers_lost
        summary = analyze(store, settings, progress=kill, engine=engine)
        stored = store.conn.execute("SELECT count(*) FROM analyses").fetchone()[0]
        group_and_check(store, settings)
    assert kill.killed is not None and kill.killed not in engine.client.run(os.getpid).values()
    assert engine.stats.workers_lost > lost, "the killed worker was seen to leave"
    assert len(summary.article_ids) == len(set(summary.article_ids)) == pending == stored == engine.stats.items - items
    assert exported(there, "facts") == local_run["facts"]
    assert exported(there, "stories") == local_run["stories"]
    assert any(re.fullmatch(r"dask articles: \d+ batches, \d+ articles, [0-9.]+ articles/s on 2 workers \(0 [0-9.]+/s, "
                            r"1 [0-9.]+/s\)", n) for n in kill.notes), kill.notes
    assert any("worker(s) left the cluster" in n for n in kill.notes), kill.notes


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
