"""Store failures and awkward paths are clear errors naming the file and the reason, never a traceback:
a corrupt store (never written to), a full disk (what was committed stays), a --db under a regular
file, an output path that is a folder, a file name that is not UTF-8 (stored, nothing rolled back)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from interrupting import write_articles

from crosswire.config import Settings
from crosswire.errors import StoreError
from crosswire.ingest.pipeline import ingest
from crosswire.store import Store
from crosswire.store.sqlite import store_error, store_failure


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "crosswire", *args], capture_output=True, text=True, timeout=600,
                          cwd=cwd)


def _clean_error(done: subprocess.CompletedProcess, *words: str) -> None:  # type: ignore[type-arg]
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: "), done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    """A real store with two reports of one event, analysed into a story."""
    folder = tmp_path_factory.mktemp("analysed")
    src = folder / "news.jsonl"
    write_articles(src, 2, seed=7)
    db = folder / "store.db"
    assert cli("run", str(src), "--db", str(db), "-q", "--workers", "1").returncode == 0
    return db


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _corrupt(db: Path, target: Path, pages: slice) -> None:
    """A copy of ``db`` with garbage written over some of its pages (the header page kept)."""
    shutil.copy(db, target)
    size = 4096
    data = bytearray(target.read_bytes())
    count = len(data) // size
    for page in range(count)[pages]:
        if page > 0:
            data[page * size + 100 : (page + 1) * size] = bytes((page * 37 + i) % 251 for i in range(size - 100))
    target.write_bytes(bytes(data))


def test_a_corrupt_store_is_named_by_every_command_and_never_written(analysed, tmp_path):
    bad = tmp_path / "bad.db"
    _corrupt(analysed, bad, slice(1, None))
    before = _digest(bad)
    for args in (["stories"], ["show", "1"], ["export", "--what", "articles", str(tmp_path / "out.jsonl")],
                 ["ingest", str(analysed.parent / "news.jsonl")], ["analyze"], ["group"]):
        done = cli(*args, "--db", str(bad))
        _clean_error(done, "corrupt", str(bad))
    assert _digest(bad) == before  # nothing was written to it
    assert not Path(str(bad) + "-wal").exists() or Path(str(bad) + "-wal").stat().st_size == 0


def test_a_writer_refuses_a_store_that_fails_quick_check(analysed, tmp_path):
    bad = tmp_path / "one-page.db"
    conn = sqlite3.connect(f"{analysed.as_uri()}?mode=ro", uri=True)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'facts_kind_about'").fetchone()[0]
    conn.close()
    _corrupt(analysed, bad, slice(root - 1, root))  # one page of one index: every read of articles still works
    before = _digest(bad)
    with pytest.raises(StoreError) as caught:
        Store(bad)
    assert caught.value.code == "store_corrupt" and str(bad) in str(caught.value)
    assert _digest(bad) == before


def test_a_full_disk_stops_the_ingest_keeping_what_was_committed(tmp_path):
    src = tmp_path / "news.jsonl"
    write_articles(src, 600, seed=9)
    db = tmp_path / "full.db"
    with Store(db) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 300}")  # SQLite answers SQLITE_FULL beyond it
        with pytest.raises(sqlite3.OperationalError) as caught:
            ingest([str(src)], store, Settings(db=str(db), workers=1))
    assert store_failure(caught.value)
    error = store_error(caught.value, str(db), "writing it")
    assert error.code == "store_full" and "disk is full" in str(error) and str(db) in str(error)
    with Store(db) as store:
        kept = store.count_articles()
        assert kept >= 200 and kept % 200 == 0  # whole batches, nothing of the failed one
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _unshare_tmpfs() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                          capture_output=True).returncode == 0


@pytest.mark.skipif(not _unshare_tmpfs(), reason="cannot mount a small tmpfs here (needs root and unshare)")
def test_a_full_disk_is_a_clear_error_from_the_command_line(tmp_path):
    src = tmp_path / "news.jsonl"
    write_articles(src, 3000, seed=10)
    out = tmp_path / "out"
    out.mkdir()
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f'mount -t tmpfs -o size=2m tmpfs "{disk}" && "{sys.executable}" -m crosswire ingest "{src}" '
              f'--db "{disk}/s.db" -q --workers 1 >"{out}/stdout" 2>"{out}/stderr"; echo $? >"{out}/rc"; '
              f'cp "{disk}"/s.db* "{out}/"')
    subprocess.run(["unshare", "-m", "sh", "-c", script], check=True, timeout=600,
                   env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")})
    stderr = (out / "stderr").read_text()
    assert (out / "rc").read_text().strip() == "1", stderr
    assert "Traceback" not in stderr and stderr.startswith("error: ") and "disk is full" in stderr
    assert f"{disk}/s.db" in stderr
    conn = sqlite3.connect(out / "s.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM article_records").fetchone()[0] > 0  # the batches before stay
    conn.close()


def test_a_db_under_a_regular_file_is_a_clear_error(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    src = tmp_path / "news.jsonl"
    write_articles(src, 1, seed=1)
    done = cli("ingest", str(src), "--db", str(tmp_path / "afile" / "x.db"))
    _clean_error(done, str(tmp_path / "afile"), "is a file, not a folder")
    assert (tmp_path / "afile").read_text() == "not a folder"


def test_an_output_path_that_is_a_folder_is_a_clear_error(analysed, tmp_path):
    done = cli("show", "1", "--output", str(tmp_path), "--db", str(analysed))
    _clean_error(done, str(tmp_path), "it is a folder")
    done = cli("export", "--what", "articles", str(tmp_path), "--db", str(analysed))
    _clean_error(done, str(tmp_path))


def test_a_file_name_that_is_not_utf8_is_stored_and_rolls_nothing_back(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    src = tmp_path / "news.jsonl"
    records = write_articles(src, 250, seed=4)  # more than one write batch (200)
    for i, r in enumerate(records):
        name = os.fsencode(folder) + (b"/%03d-caf\xe9.txt" % i if i == 120 else b"/%03d.txt" % i)
        with open(name, "w", encoding="utf-8") as fh:
            fh.write(r["title"] + "\n\n" + r["maintext"] + "\n")
    db = tmp_path / "s.db"
    done = cli("ingest", str(folder), "--db", str(db), "-q", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["read"], summary["stored"], summary["rejected"]) == (250, 250, [])
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM article_records").fetchone()[0] == 250
    assert conn.execute("SELECT count(*) FROM article_records WHERE source LIKE '%120-caf\\xe9.txt'").fetchone()[0] == 1
    conn.close()


def test_every_input_is_counted_once(tmp_path):
    """read = stored + unchanged + rejected (copies are stored, and counted again as duplicates)."""
    src = tmp_path / "news.jsonl"
    records = write_articles(src, 5, seed=8)
    lines = src.read_text().splitlines()
    lines += [lines[0].replace("(project 0)", "(project 0, again)"), '{"title": "x", "maintext": "too short"}',
              "not json"]
    src.write_text("\n".join(lines) + "\n")
    db = tmp_path / "s.db"
    first = json.loads(cli("ingest", str(src), "--db", str(db), "-q", "--json").stdout)
    again = json.loads(cli("ingest", str(src), "--db", str(db), "-q", "--json").stdout)
    for s in (first, again):
        assert s["read"] == s["stored"] + s["unchanged"] + len(s["rejected"]) == len(lines)
    assert (first["stored"], first["duplicates"], len(first["rejected"])) == (len(records) + 1, 1, 2)
    assert (again["stored"], again["unchanged"]) == (0, len(records) + 1)
