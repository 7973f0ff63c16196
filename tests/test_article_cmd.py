"""`crosswire article ID [--outlet] [--published] [--url] [--author]`: an article's metadata and its
corrections, fixed by hand as a user runs it; the article keeps its id and facts and every reader sees
the fixed values."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "outlets"


def crosswire(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosswire", *args], capture_output=True, text=True, timeout=600)


def _export(db: str) -> dict[str, dict]:
    done = crosswire("export", "--what", "articles", "--format", "jsonl", "-", "--db", db, "--quiet")
    assert done.returncode == 0, done.stderr
    return {r["title"]: r for r in map(json.loads, done.stdout.splitlines())}


def test_fix_an_articles_outlet_and_date_by_hand(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(FIXTURES, inputs)
    db = str(tmp_path / "s.db")
    done = crosswire("run", str(inputs), "--db", db, "--quiet")
    assert done.returncode == 0, done.stderr
    slide = _export(db)["Landslide closes mountain road above Velden"]
    aid = slide["id"]
    assert (slide["outlet"], slide["published"]) == ("alpine-ledger.example", None)
    facts_before = crosswire("export", "--what", "facts", "--format", "jsonl", "-", "--db", db, "--quiet").stdout
    assert aid in facts_before

    fixed = crosswire("article", aid[:8], "--outlet", "Alpine Ledger", "--published", "2025-03-13",
                      "--by", "desk editor", "--db", db, "--json")
    assert fixed.returncode == 0, fixed.stderr
    result = json.loads(fixed.stdout)
    assert result["article"] == aid and result["changed"] == {
        "outlet": {"old": "alpine-ledger.example", "new": "Alpine Ledger"},
        "published": {"old": None, "new": "2025-03-13"}}
    assert result["stories"] and result["crosscheck"]["computed"] >= 1  # its story was checked again

    # every reader sees the fixed values; the id and the facts stay
    after = _export(db)["Landslide closes mountain road above Velden"]
    assert (after["id"], after["outlet"], after["published"], after["published_source"]) == (
        aid, "Alpine Ledger", "2025-03-13", "metadata")
    assert crosswire("export", "--what", "facts", "--format", "jsonl", "-", "--db", db, "--quiet").stdout == facts_before
    [story] = result["stories"]
    shown = json.loads(crosswire("show", story, "--format", "json", "--db", db).stdout)
    [mine] = [a for a in shown["articles"] if a["id"] == aid]
    assert (mine["outlet"], mine["published"]) == ("Alpine Ledger", "2025-03-13")
    listed = [json.loads(x) for x in crosswire("stories", "--json", "--db", db).stdout.splitlines()]
    assert any("Alpine Ledger" in s["outlets"] for s in listed)

    # no flags: the record now, as ingested, and the history with who made each change
    shown = crosswire("article", aid, "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert "outlet     Alpine Ledger" in shown.stdout and "by desk editor: outlet 'alpine-ledger.example' -> " \
        "'Alpine Ledger'" in shown.stdout
    assert "as ingested: outlet alpine-ledger.example; url https://web.archive.org/" in shown.stdout
    record = json.loads(crosswire("article", aid, "--db", db, "--json").stdout)
    assert [(c["field"], c["origin"], c["who"]) for c in record["corrections"]] == [
        ("outlet", "manual", "desk editor"), ("published", "manual", "desk editor")]
    assert record["ingested"]["outlet"] == "alpine-ledger.example" and record["outlet_key"] == "alpine-ledger.example"

    # a re-ingest of the same input keeps the correction made by hand, and says so
    again = crosswire("ingest", str(inputs), "--db", db)
    assert again.returncode == 0, again.stderr
    assert "unchanged 4" in again.stdout and _export(db)["Landslide closes mountain road above Velden"]["outlet"] == \
        "Alpine Ledger"


def test_unknown_ids_and_bad_values_are_clear_errors_that_change_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert crosswire("ingest", str(FIXTURES / "tidewater-ferry.html"), "--db", db, "--quiet").returncode == 0
    [aid] = [r["id"] for r in _export(db).values()]
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    for args, message in [
        (("nosuchid",), "no article 'nosuchid'"),
        ((aid, "--published", "the day before yesterday-ish"), "is not a date crosswire can read"),
        ((aid, "--url", "ftp://example.org/x"), "is not an http(s) URL"),
        ((aid, "--outlet", "  "), "--outlet is empty"),
    ]:
        done = crosswire("article", *args, "--db", db)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
    missing = crosswire("article", aid, "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "no store at" in missing.stderr
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before
    same = crosswire("article", aid, "--outlet", "Tidewater Courier", "--db", db)
    assert same.returncode == 0 and "nothing changed" in same.stdout
