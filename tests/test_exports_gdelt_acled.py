"""Stories as event tables: GDELT 2.0 event rows (tab-separated, 61 columns, no header) and ACLED rows
(CSV with ACLED's column names), on the demo and on a car bombing reported by two outlets written here."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from crosswire.config import Settings, load_settings
from crosswire.demo import run_demo
from crosswire.errors import UsageError
from crosswire.present.exports import (ACLED_FIELDS, GDELT_FIELDS, acled_row, export, export_event_table,
                                       gdelt_row)
from crosswire.store import Store

CONTRACT_ACLED = ["event_date", "event_type", "sub_event_type", "actor1", "country", "admin1", "location",
                  "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"]
HOSTILE_TITLE = '=HYPERLINK("http://evil.example/x","Car bomb kills four at Kirkuk market")'
REPORTS = {
    "tigris.json": {
        "title": HOSTILE_TITLE,
        "maintext": (
            "KIRKUK, Iraq \u2014 A car bomb exploded near a crowded market in Kirkuk on Tuesday, killing four "
            "people and wounding eleven others, police said.\n\nThe blast struck shortly after 9 a.m. as "
            "shoppers gathered near the market's main gate. No group has claimed responsibility for the "
            "bombing.\n\nSecurity forces sealed off the area and ambulances took the wounded to the city's "
            "main hospital."),
        "url": "https://tigrispost.example/kirkuk-car-bomb", "source_domain": "tigrispost.example",
        "date_publish": "2024-05-14 12:00:00", "language": "en"},
    "gulf.json": {
        "title": "Four killed as car bomb hits Kirkuk market",
        "maintext": (
            "A car bomb killed four people and wounded eleven at a market in the northern Iraqi city of "
            "Kirkuk on Tuesday morning, according to local police.\n\nWitnesses said the explosion "
            "shattered shop windows across the street. Officials said the death toll could rise.\n\n"
            "No one has claimed the attack."),
        "url": "https://gulfdesk.example/iraq/kirkuk-market-bomb", "source_domain": "gulfdesk.example",
        "date_publish": "2024-05-14 16:30:00", "language": "en"},
}


def col(row: list[str], name: str) -> str:
    return row[GDELT_FIELDS.index(name)]


def tsv_rows(path) -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")
    return [line.split("\t") for line in text.splitlines()]


def acled_rows(path) -> tuple[list[str], list[dict[str, str]]]:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def bombing(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from crosswire.run import run_stages

    folder = tmp_path_factory.mktemp("kirkuk")
    for name, record in REPORTS.items():
        (folder / name).write_text(json.dumps(record), encoding="utf-8")
    settings = Settings(db=str(folder / "x.db"), workers=1)
    with Store(settings.db) as store:
        run_stages([str(folder)], store, settings)
        assert store.conn.execute("SELECT count(*) FROM stories WHERE status = 'active'").fetchone()[0] == 1
        yield store, folder


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("demo")
    settings = load_settings(env={}, db=str(folder / "demo.db"), workers=1)
    assert run_demo(settings, folder / "demo-briefing.html").stories == 2
    with Store(settings.db) as store:
        yield store, folder


# ---------------------------------------------------------------- GDELT
def test_the_gdelt_columns_are_the_61_of_the_gdelt_2_event_table_in_order() -> None:
    assert len(GDELT_FIELDS) == len(set(GDELT_FIELDS)) == 61
    assert GDELT_FIELDS[:7] == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code",
                                "Actor1Name"]
    assert GDELT_FIELDS[25:35] == ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                                   "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    assert GDELT_FIELDS[51:] == ["ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
                                 "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long",
                                 "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL"]


def test_a_car_bombing_is_one_gdelt_row_with_its_cameo_code_day_and_place(bombing) -> None:  # type: ignore[no-untyped-def]
    store, folder = bombing
    out = folder / "events.tsv"
    assert export(store, "stories", "gdelt", str(out)) == 1
    (row,) = tsv_rows(out)  # no header line, as in GDELT's own files
    assert len(row) == 61
    assert int(col(row, "GLOBALEVENTID")) < 2**63
    assert (col(row, "SQLDATE"), col(row, "MonthYear"), col(row, "Year")) == ("20240514", "202405", "2024")
    assert 2024.36 < float(col(row, "FractionDate")) < 2024.38
    code = col(row, "EventCode")
    assert code.startswith("18") and len(code) in (3, 4)  # assault: a bombing (183...), zero-padded text
    assert (col(row, "EventBaseCode"), col(row, "EventRootCode"), col(row, "QuadClass")) == (code[:3], "18", "4")
    assert col(row, "GoldsteinScale") == "" and col(row, "AvgTone") == ""  # no published table, no tone
    assert (col(row, "NumArticles"), col(row, "NumSources")) == ("2", "2")
    assert col(row, "ActionGeo_Type") == "4"  # a city outside the US
    assert col(row, "ActionGeo_FullName") == "Kirkuk, Iraq"
    assert col(row, "ActionGeo_CountryCode") == "IZ"  # FIPS 10-4, as GDELT writes Iraq (ISO: IQ)
    assert col(row, "ActionGeo_ADM1Code").startswith("IZ")
    assert col(row, "ActionGeo_FeatureID") == "94787"  # GeoNames' Kirkuk
    assert abs(float(col(row, "ActionGeo_Lat")) - 35.47) < 0.05
    assert abs(float(col(row, "ActionGeo_Long")) - 44.39) < 0.05
    assert len(col(row, "DATEADDED")) == 14 and col(row, "DATEADDED").isdigit()
    assert col(row, "SOURCEURL") in {r["url"] for r in REPORTS.values()}


def test_gdelt_country_codes_can_be_iso_and_the_header_line_is_offered(bombing) -> None:  # type: ignore[no-untyped-def]
    store, folder = bombing
    out = folder / "iso.tsv"
    assert export_event_table(store, "gdelt", str(out), header=True, codes="iso") == 1
    head, row = tsv_rows(out)
    assert head == GDELT_FIELDS
    assert col(row, "ActionGeo_CountryCode") == "IQ" and col(row, "ActionGeo_ADM1Code").startswith("IQ")
    with pytest.raises(UsageError, match="fips or iso"):
        export_event_table(store, "gdelt", str(out), codes="iso3")


def test_the_demo_stories_are_gdelt_rows_even_without_a_cameo_code(demo_store) -> None:  # type: ignore[no-untyped-def]
    store, folder = demo_store
    out = folder / "demo.tsv"
    assert export(store, "stories", "gdelt", str(out)) == 2
    rows = tsv_rows(out)
    assert [len(r) for r in rows] == [61, 61]
    # Industrial explosions: CAMEO codes no accident, so the code columns stay empty.
    assert {(col(r, "EventCode"), col(r, "QuadClass")) for r in rows} == {("", "")}
    assert {col(r, "SQLDATE") for r in rows} == {"20250311", "20250314"}
    assert {(col(r, "ActionGeo_CountryCode"), col(r, "ActionGeo_FeatureID")) for r in rows} == {
        ("PL", "3099434"), ("NL", "2747891")}  # Gdańsk and Rotterdam in GeoNames
    skipped: list = []
    assert export_event_table(store, "gdelt", str(out), uncoded=False, skipped=skipped) == 0
    assert out.read_text(encoding="utf-8") == ""
    assert len(skipped) == 2 and all("no CAMEO event code" in s["reason"] for s in skipped)


# ---------------------------------------------------------------- ACLED
def test_a_car_bombing_is_an_acled_row_with_its_type_place_and_fatalities(bombing) -> None:  # type: ignore[no-untyped-def]
    store, folder = bombing
    out = folder / "events.csv"
    assert export(store, "stories", "acled", str(out)) == 1
    header, (row,) = acled_rows(out)
    assert ACLED_FIELDS == CONTRACT_ACLED and header[:13] == CONTRACT_ACLED
    assert row["event_date"] == "2024-05-14"
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["sub_event_type"] in ("Remote explosive/landmine/IED", "Suicide bomb")
    assert (row["country"], row["location"], row["geo_precision"]) == ("Iraq", "Kirkuk", "1")
    assert abs(float(row["latitude"]) - 35.47) < 0.05 and abs(float(row["longitude"]) - 44.39) < 0.05
    assert row["fatalities"] == "4" and row["fatalities_known"] == "yes"
    assert sorted(row["source"].split("; ")) == ["gulfdesk.example", "tigrispost.example"]
    assert row["cameo"].startswith("18")


def test_a_hostile_title_reaches_the_notes_as_text_not_a_formula(bombing) -> None:  # type: ignore[no-untyped-def]
    store, folder = bombing
    out = folder / "hostile.csv"
    export(store, "stories", "acled", str(out))
    _, rows = acled_rows(out)
    assert rows[0]["notes"] == "'" + HOSTILE_TITLE  # the story takes the first report's headline
    for r in rows:
        assert not any(str(v).startswith(("=", "+", "@")) for v in r.values())


def test_the_demo_acled_rows_give_the_stated_deaths(demo_store) -> None:  # type: ignore[no-untyped-def]
    store, folder = demo_store
    out = folder / "demo.csv"
    assert export(store, "stories", "acled", str(out)) == 2
    header, rows = acled_rows(out)
    assert header[:13] == CONTRACT_ACLED
    got = {(r["event_date"], r["location"], r["country"], r["fatalities"]) for r in rows}
    assert got == {("2025-03-11", "Gdańsk", "Poland", "3"), ("2025-03-14", "Rotterdam", "The Netherlands", "2")}
    assert {r["event_type"] for r in rows} == {""}  # ACLED codes no industrial accident


# ---------------------------------------------------------------- records written here
def _record(**event) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {"id": "feedfacecafe0001", "title": "@SUM(1+1)\tcrowd\nrallies in Columbus",
            "articles": [{"id": "a1", "outlet": "-Ohio Wire", "url": "https://ohiowire.example/rally",
                          "published": "2024-06-02"},
                         {"id": "a2", "outlet": None, "url": None, "published": "2024-06-01"}],
            "event": {"type": {"cameo": "141", "label": "Demonstrate or rally"}, **event},
            "facts": [{"kind": "actor", "value": "=student\tunion", "independent_sources": 2}]}


def test_unknown_deaths_are_zero_and_said_to_be_unknown_and_a_state_is_a_region(bombing) -> None:  # type: ignore[no-untyped-def]
    store, _ = bombing
    ohio = {"name": "Ohio", "geonameid": 5165418, "country": "US", "lat": 40.25, "lon": -83.0,
            "feature": "admin1", "admin1": "OH"}
    rec = _record(when={"start": None, "end": None}, where=[ohio])
    row, why = acled_row(rec, store)
    assert why is None and row is not None
    assert (row["event_date"], row["event_type"], row["sub_event_type"]) == ("2024-06-01", "Protests",
                                                                              "Peaceful protest")
    assert (row["fatalities"], row["fatalities_known"]) == (0, "no")
    assert (row["admin1"], row["geo_precision"], row["country"]) == ("Ohio", 2, "United States")
    assert row["longitude"] == -83.0  # a number, not a guarded text
    assert row["notes"] == "'@SUM(1+1) crowd rallies in Columbus"
    assert row["actor1"] == "'=student union" and row["source"] == "'-Ohio Wire"
    grow, _ = gdelt_row(rec, store)
    assert grow is not None and len(grow) == 61
    assert (col(grow, "EventCode"), col(grow, "EventRootCode"), col(grow, "QuadClass")) == ("141", "14", "4")
    assert (col(grow, "ActionGeo_Type"), col(grow, "ActionGeo_CountryCode"), col(grow, "ActionGeo_ADM1Code")) == (
        "2", "US", "USOH")
    assert col(grow, "Actor1Name") == "'=student union" and col(grow, "ActionGeo_Long") == "-83.0"
    assert col(grow, "NumSources") == "2" and col(grow, "SOURCEURL") == "https://ohiowire.example/rally"


def test_a_story_with_no_day_at_all_is_left_out_with_its_reason(bombing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store, _ = bombing
    rec = _record(when={"start": None, "end": None}, where=[])
    for a in rec["articles"]:
        a["published"] = None
    assert gdelt_row(rec, store)[0] is None and acled_row(rec, store)[1] == "no event date and no dated report"


def test_event_tables_are_for_stories_only(bombing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store, _ = bombing
    for what in ("articles", "facts"):
        with pytest.raises(UsageError, match="--what stories"):
            export(store, what, "gdelt", str(tmp_path / "x.tsv"))
    with pytest.raises(UsageError):
        export_event_table(store, "cameo", str(tmp_path / "x.tsv"))


def test_the_cli_makes_gdelt_and_acled_imply_stories(bombing) -> None:  # type: ignore[no-untyped-def]
    store, folder = bombing
    db = str(folder / "x.db")
    run = [sys.executable, "-m", "crosswire", "export", "-", "--db", db, "--format"]
    done = subprocess.run([*run, "gdelt"], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert [len(line.split(b"\t")) for line in done.stdout.splitlines()] == [61]
    done = subprocess.run([*run, "acled"], capture_output=True, timeout=300)
    assert done.returncode == 0 and done.stdout.startswith(",".join(CONTRACT_ACLED).encode())
    bad = subprocess.run([*run, "gdelt", "--what", "facts"], capture_output=True, timeout=300)
    assert bad.returncode == 2 and b"--what stories" in bad.stderr
    flagged = subprocess.run([*run, "gdelt", "--header", "--country-codes", "iso"], capture_output=True, timeout=300)
    lines = flagged.stdout.decode("utf-8").splitlines()
    assert flagged.returncode == 0 and lines[0].split("\t")[:2] == ["GLOBALEVENTID", "SQLDATE"] and len(lines) == 2
    row = dict(zip(lines[0].split("\t"), lines[1].split("\t")))
    assert row["ActionGeo_CountryCode"] == "IQ"  # ISO, where FIPS says IZ
