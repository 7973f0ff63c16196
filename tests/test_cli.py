"""The CLI end to end on real files and a real SQLite store, run as a user runs it."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer.main

from crosswire.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

PARAGRAPHS = [
    "Firefighters battled a blaze at a paint warehouse on the northern edge of the harbour district "
    "for most of Sunday night, the regional fire service said in a statement on Monday morning.",
    "Two workers were treated for smoke inhalation and one firefighter suffered a minor hand injury, "
    "according to the service, which sent fourteen engines and a ladder unit to the site.",
    "\u201cThe building was well alight when the first crews arrived,\u201d said station commander "
    "Ilse Maarten. \u201cIt took until the early hours before we could say it was contained.\u201d",
    "Residents of nearby streets were asked to keep windows closed because of the thick smoke, and a "
    "section of the ring road was shut until Monday afternoon while the site was made safe.",
]


def crosswire(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crosswire", *args], input=stdin, capture_output=True, timeout=300
    )


def write_inputs(folder: Path) -> None:
    folder.mkdir()
    html = (
        "<html><head><title>Warehouse fire contained</title>"
        "<meta property='og:site_name' content='Harbour Times'>"
        "<meta property='article:published_time' content='2025-03-10T08:00:00Z'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Warehouse fire contained</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article><footer>All rights reserved</footer></body></html>"
    )
    (folder / "harbour.html").write_text(html, encoding="utf-8")
    (folder / "copy.txt").write_text(
        "Blaze at harbour paint warehouse\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8"
    )
    good = {"title": "Council approves new tram line", "maintext": " ".join(PARAGRAPHS[3:]) * 3,
            "source_domain": "citypost.example", "date_publish": "2025-03-09 10:00:00"}
    (folder / "feed.jsonl").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not a news file")


def test_ingest_a_mixed_folder_then_again_changes_nothing(tmp_path):
    inputs, db = tmp_path / "in", str(tmp_path / "x.db")
    write_inputs(inputs)
    first = crosswire("ingest", str(inputs), "--db", db, "--json", "--quiet")
    assert first.returncode == 0, first.stderr.decode()
    s = json.loads(first.stdout)
    assert (s["stored"], s["duplicates"]) == (3, 1)
    reasons = {(Path(r["source"].split(":")[0]).name, r["reason"]) for r in s["rejected"]}
    assert {("empty.txt", "empty"), ("picture.html", "binary"), ("notes.docx", "unsupported_format")} <= reasons
    assert any(r["source"].endswith("feed.jsonl:2") and r["reason"] == "invalid_json" for r in s["rejected"])

    again = json.loads(crosswire("ingest", str(inputs), "--db", db, "--json", "--quiet").stdout)
    assert (again["stored"], again["unchanged"], len(again["rejected"])) == (0, 3, len(s["rejected"]))

    out = tmp_path / "articles.jsonl"
    assert crosswire("export", "--what", "articles", "--format", "jsonl", str(out), "--db", db).returncode == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    by_source = {Path(r["source"]).name: r for r in rows}
    html, copy = by_source["harbour.html"], by_source["copy.txt"]
    assert (html["outlet"], html["published"], html["published_source"]) == ("Harbour Times", "2025-03-10", "metadata")
    assert copy["duplicate_of"] == html["id"] and copy["similarity"] >= 0.8
    assert copy["outlet"] is None and copy["published"] is None
    assert by_source["feed.jsonl:1"]["outlet"] == "citypost.example"
    assert all(r["language"] == "en" for r in rows)
    conn_rejections = crosswire("export", "--what", "articles", "--format", "csv", "-", "--db", db)
    assert len(list(csv.DictReader(conn_rejections.stdout.decode().splitlines()))) == 3


def test_exports_in_every_format_carry_the_same_articles(tmp_path):
    inputs, db = tmp_path / "in", str(tmp_path / "x.db")
    write_inputs(inputs)
    crosswire("ingest", str(inputs), "--db", db, "--quiet")
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"a.{fmt}"
        done = crosswire("export", "--what", "articles", "--format", fmt, str(out), "--db", db)
        assert done.returncode == 0, done.stderr.decode()
    ids_jsonl = {json.loads(line)["id"] for line in (tmp_path / "a.jsonl").read_text().splitlines()}
    with (tmp_path / "a.csv").open(newline="", encoding="utf-8") as fh:
        ids_csv = {row["id"] for row in csv.DictReader(fh)}
    table = pq.read_table(tmp_path / "a.parquet")
    assert ids_jsonl == ids_csv == set(table.column("id").to_pylist())
    assert table.schema.field("removed").type.value_type.names == ["reason", "text"]


def test_stdin_and_outlet_flag(tmp_path):
    db = str(tmp_path / "x.db")
    text = ("Paint warehouse fire\n\n" + "\n\n".join(PARAGRAPHS)).encode()
    done = crosswire("ingest", "-", "--outlet", "Radio North", "--db", db, "--json", "--quiet", stdin=text)
    assert json.loads(done.stdout)["stored"] == 1
    rows = crosswire("export", "--what", "articles", "--format", "jsonl", "-", "--db", db).stdout
    row = json.loads(rows)
    assert (row["outlet"], row["title"]) == ("Radio North", "Paint warehouse fire")


def test_outlet_is_never_taken_from_an_outlet_named_in_the_text(tmp_path):
    f = tmp_path / "cites.txt"
    f.write_text("Analyst warns on drills\n\n" + PARAGRAPHS[0] + " An analyst told the South China "
                 "Morning Post and Reuters that the drills were unusual.\n\n" + "\n\n".join(PARAGRAPHS[1:]))
    db = str(tmp_path / "x.db")
    crosswire("ingest", str(f), "--db", db, "--quiet")
    row = json.loads(crosswire("export", "--what", "articles", "--format", "jsonl", "-", "--db", db).stdout)
    assert row["outlet"] is None


def test_usage_errors_exit_2_and_say_why(tmp_path):
    assert crosswire("ingest").returncode == 2
    bad = crosswire("export", "--what", "articles", "--format", "xlsx", str(tmp_path / "o"), "--db",
                    str(tmp_path / "x.db"))
    assert bad.returncode == 2
    crosswire("ingest", "-", "--db", str(tmp_path / "x.db"), "--quiet", stdin=b"")
    bad = crosswire("export", "--what", "articles", "--format", "xlsx", str(tmp_path / "o"), "--db",
                    str(tmp_path / "x.db"))
    assert bad.returncode == 2 and b"xlsx" in bad.stderr


def test_missing_path_is_a_rejection_not_a_crash(tmp_path):
    done = crosswire("ingest", str(tmp_path / "nowhere.html"), "--db", str(tmp_path / "x.db"), "--json", "-q")
    assert done.returncode == 0
    assert json.loads(done.stdout)["rejected"][0]["reason"] == "not_found"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_the_two_seeds_ingest_as_two_english_articles_without_invented_metadata(tmp_path):
    db = str(tmp_path / "x.db")
    s = json.loads(crosswire("ingest", str(SEEDS), "--db", db, "--json", "-q").stdout)
    assert (s["stored"], s["duplicates"], s["rejected"]) == (2, 0, [])
    rows = [json.loads(x) for x in crosswire("export", "--what", "articles", "--format", "jsonl", "-",
                                             "--db", db).stdout.splitlines()]
    titles = sorted(r["title"] for r in rows)
    assert titles[0].startswith("China and Belarus hold military drills")
    assert titles[1].startswith("Video Shows Chinese Troops")
    for r in rows:
        assert r["language"] == "en" and r["outlet"] is None and r["published"] is None
        assert r["removed"], "the seeds carry boilerplate"


def test_readme_documents_every_command_and_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    click_app = typer.main.get_command(app)
    for name, command in click_app.commands.items():
        assert f"`crosswire {name}" in readme, f"command {name} missing from the README"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in ("--db", "--config", "--quiet", "--help"):
                    assert opt in readme, f"option {opt} of {name} missing from the README"


# ---------------------------------------------------------------- reading commands never write
def _files(db: Path) -> dict[str, str | None]:
    """The bytes of a store and its -wal, and whether it has a -shm."""
    import hashlib

    out: dict[str, str | None] = {}
    for suffix in ("", "-wal", "-shm"):
        p = db.parent / (db.name + suffix)
        out[suffix] = None if not p.exists() else "exists" if suffix == "-shm" else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def ran_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ran")
    write_inputs(folder / "in")
    db = folder / "x.db"
    done = crosswire("run", str(folder / "in"), "--db", str(db), "-q")
    assert done.returncode == 0, done.stderr.decode()
    return db


READS = [("stories",), ("show", "1"), ("export", "-", "--what", "stories"), ("export", "-", "--what", "facts")]


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "not-cached"])
def test_reading_commands_work_on_a_chmod_444_store_and_leave_it_byte_identical(ran_store, tmp_path, cached):
    import shutil
    import sqlite3

    db = tmp_path / "copy.db"
    shutil.copy(ran_store, db)
    if not cached:  # the briefings are then computed in memory, never stored
        conn = sqlite3.connect(db)
        conn.execute("DELETE FROM briefings")
        conn.commit()
        conn.close()
    db.chmod(0o444)
    before = _files(db)
    assert before["-wal"] is None and before["-shm"] is None
    outputs = {}
    for args in READS:
        done = crosswire(*args, "--db", str(db))
        assert done.returncode == 0, (args, done.stderr.decode())
        assert done.stdout
        outputs[args] = done.stdout
        assert _files(db) == before, args
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    stories = outputs[("stories",)].count(b"\n")
    assert stories >= 1 and conn.execute("SELECT count(*) FROM briefings").fetchone()[0] == (stories if cached else 0)
    conn.close()
    # a briefing computed in memory is the cached one
    assert crosswire("show", "1", "--format", "json", "--db", str(ran_store)).stdout == \
        crosswire("show", "1", "--format", "json", "--db", str(db)).stdout


def test_a_foreign_sqlite_file_is_refused_by_every_command_and_left_as_it_was(tmp_path):
    import sqlite3

    inputs = tmp_path / "in"
    write_inputs(inputs)
    db = tmp_path / "recipes.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
    conn.execute("INSERT INTO recipes VALUES ('bread', 240)")
    conn.commit()
    conn.close()
    before = _files(db)
    for args in [("ingest", str(inputs)), ("analyze",), ("stories",), ("show", "1"),
                 ("export", "-", "--what", "stories")]:
        done = crosswire(*args, "--db", str(db), "-q")
        assert done.returncode == 1, args
        assert "recipes.db" in done.stderr.decode() and "not a crosswire store" in done.stderr.decode(), args
        assert _files(db) == before, args


def test_a_store_in_a_missing_folder_or_an_empty_db_path_is_an_error(tmp_path):
    inputs = tmp_path / "in"
    write_inputs(inputs)
    done = crosswire("ingest", str(inputs), "--db", str(tmp_path / "no" / "such" / "x.db"))
    assert done.returncode == 1 and "does not exist" in done.stderr.decode()
    assert not (tmp_path / "no").exists()
    done = crosswire("ingest", str(inputs), "--db", "")
    assert done.returncode != 0 and "empty" in done.stderr.decode()


def test_hostile_metadata_never_reaches_a_terminal_or_a_spreadsheet_raw(tmp_path):
    """An outlet named with terminal escapes (set the title, write the clipboard) and a title that a
    spreadsheet would run as a formula: the terminal lines carry no control character, the CSV cell
    is neutralised, the JSON keeps the exact value."""
    hostile_outlet = "evil\x1b]0;pwned\x07\x1b]52;c;Y3VybCBldmls\x07.example\u202e"
    record = {"title": "=HYPERLINK(\"http://evil.example\",\"click\")", "maintext": " ".join(PARAGRAPHS),
              "source_domain": hostile_outlet, "date_publish": "2025-03-10 08:00:00"}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = str(tmp_path / "x.db")
    ran = crosswire("run", str(src), "--db", db)
    assert ran.returncode == 0, ran.stderr
    listed = crosswire("stories", "--db", db)
    shown = crosswire("show", "1", "--db", db)
    for out in (ran.stdout, ran.stderr, listed.stdout, shown.stdout):
        assert not any(ch in out.decode() for ch in ("\x1b", "\x07", "\u202e")), out
    assert b"evil]0;pwned" in listed.stdout  # the name is shown, only its control characters are gone
    exported = crosswire("export", "-", "--what", "articles", "--format", "csv", "--db", db)
    row = next(csv.DictReader(exported.stdout.decode().splitlines()))
    assert row["title"].startswith("'=HYPERLINK(")
    as_json = json.loads(crosswire("export", "-", "--what", "articles", "--format", "jsonl", "--db", db).stdout)
    # JSON is exact: the title as given, the outlet as stored (ingest already drops C0 controls from
    # metadata; the bidirectional override that it keeps reaches JSON, never a terminal)
    assert as_json["title"] == record["title"] and "\u202e" in as_json["outlet"]
