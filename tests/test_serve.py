"""crosswire serve over HTTP: the real server (uvicorn on a free loopback port) on a real store built
from the demo corpus and hostile articles of our own; httpx as the client."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from serve_support import TOKEN, build_store, copy_store, running

from crosswire.cli import app as cli
from crosswire.errors import StoreError
from crosswire.serve import create_app
from crosswire.serve.queries import match_expression


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def reader(store_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A read-only server on the shared store."""
    app = create_app(store_db, read_only=True, cache=tmp_path_factory.mktemp("cache") / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        yield client


def _stories(client: httpx.Client, **params) -> list[dict]:  # type: ignore[no-untyped-def]
    r = client.get("/stories.json", params=params)
    assert r.status_code == 200, r.text
    return r.json()["stories"]


def _story_titled(client: httpx.Client, word: str) -> dict:
    found = [s for s in _stories(client) if word in s["title"]]
    assert len(found) == 1, [s["title"] for s in _stories(client)]
    return found[0]


def _show_json(db: Path, story: str) -> str:
    result = CliRunner().invoke(cli, ["show", story, "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


# ---------------------------------------------------------------- the stories
def test_the_stories_list_every_story_newest_first_with_the_contract_fields(reader) -> None:
    stories = _stories(reader)
    assert len(stories) == 3  # Gdańsk, Rotterdam, the hostile ferry fire
    assert [s["last"] for s in stories] == sorted((s["last"] for s in stories), reverse=True)
    for s in stories:
        assert {"id", "title", "articles", "outlets", "first", "last"} <= set(s)
    assert reader.get("/", headers={"Accept": "application/json"}).json()["stories"] == stories
    html = reader.get("/stories")
    assert html.headers["content-type"].startswith("text/html")
    assert all(s["id"] in html.text for s in stories)


def test_search_reads_titles_text_and_fact_values(reader) -> None:
    by_text = _stories(reader, q="fireboats")  # only in a Rotterdam article's body
    assert [s["title"] for s in by_text] == [_story_titled(reader, "Rotterdam")["title"]]
    assert _stories(reader, q="Gdansk")[0]["id"] == _story_titled(reader, "Gdańsk")["id"]  # diacritics; by relevance
    assert _stories(reader, q="Rotterdam fireboats") == by_text  # every word must match
    assert _stories(reader, q="fireboats Kestrel") == []
    hostile = _stories(reader, q='ferry" NEAR( * ^')  # FTS5 syntax in a query is text, not an operator
    assert [s["title"] for s in hostile] == [_story_titled(reader, "Kestrel")["title"]]


def test_filters_sort_and_paging(reader) -> None:
    gdansk, rotterdam = _story_titled(reader, "Gdańsk"), _story_titled(reader, "Rotterdam")
    assert [s["id"] for s in _stories(reader, country="pl")] == [gdansk["id"]]
    assert [s["id"] for s in _stories(reader, country="NL")] == [rotterdam["id"]]
    assert [s["id"] for s in _stories(reader, outlet="Lowlands Post")] == [rotterdam["id"]]
    assert _stories(reader, since="2025-03-13", until="2025-03-31") == [rotterdam]
    assert {s["id"] for s in _stories(reader, min_sources=5)} == {
        s["id"] for s in _stories(reader) if s["independent_sources"] >= 5}
    assert all(s["conflicts"] > 0 for s in _stories(reader, conflict=1))
    by_sources = _stories(reader, sort="sources")
    assert [s["independent_sources"] for s in by_sources] == sorted(
        (s["independent_sources"] for s in by_sources), reverse=True)
    first = reader.get("/stories.json", params={"limit": 2}).json()
    assert len(first["stories"]) == 2 and first["total"] == 3 and first["next"]
    second = reader.get(first["next"]).json()
    assert len(second["stories"]) == 1 and second["next"] is None
    assert [s["id"] for s in first["stories"] + second["stories"]] == [s["id"] for s in _stories(reader)]


def _ids(client: httpx.Client, **params) -> list[str]:  # type: ignore[no-untyped-def]
    return [s["id"] for s in _stories(client, **params)]


def test_the_place_filter_takes_a_name_or_a_geonames_id(reader) -> None:
    gdansk = _story_titled(reader, "Gdańsk")
    place = next(p for p in gdansk["places"] if p["name"] == "Gdańsk")
    assert isinstance(place["geonameid"], int) and place["country"] == "PL"
    for given in ("Gdańsk", "gdansk", "GDANSK", str(place["geonameid"])):
        assert _ids(reader, place=given) == [gdansk["id"]], given
    assert _ids(reader, place="Rotterdam") == [_story_titled(reader, "Rotterdam")["id"]]
    assert _ids(reader, place="Atlantis") == []
    html = reader.get("/stories", params={"place": "gdansk"}).text
    listed = re.findall(r'<li class="story-item" data-id="([0-9a-f]+)"', html)
    assert listed == [gdansk["id"]]
    assert 'name="place" size="12" placeholder="name or GeoNames id" value="gdansk"' in html


def test_within_km_of_a_point_is_geodesic(reader) -> None:
    from pyproj import Geod

    gdansk = _story_titled(reader, "Gdańsk")
    p = next(x for x in gdansk["places"] if x["name"] == "Gdańsk")
    lat, lon = 52.2297, 21.0122  # a point in Warsaw
    d = Geod(ellps="WGS84").inv(lon, lat, p["lon"], p["lat"])[2] / 1000
    assert 250 < d < 320
    near = _stories(reader, lat=lat, lon=lon, km=round(d + 1, 1))
    assert [s["id"] for s in near] == [gdansk["id"]]
    assert abs(near[0]["distance_km"] - d) < 0.1
    assert _ids(reader, lat=lat, lon=lon, km=round(d - 1, 1)) == []
    everything = _ids(reader, lat=lat, lon=lon, km=3000)  # Rotterdam and Split too
    assert sorted(everything) == sorted(_ids(reader))
    html = reader.get("/stories", params={"lat": lat, "lon": lon, "km": round(d + 1, 1)}).text
    assert re.findall(r'<li class="story-item" data-id="([0-9a-f]+)"', html) == [gdansk["id"]]
    assert "km away" in html
    # empty form fields are "not given", as a browser sends them
    assert _ids(reader, lat="", lon="", km="", place="") == _ids(reader)


def test_the_language_filter_reads_the_stories_articles(reader, store_db, tmp_path) -> None:
    assert sorted(_ids(reader, language="en")) == sorted(_ids(reader))
    # the Dutch report joins the Rotterdam story (issue 15: reports in other languages join their story)
    assert _ids(reader, language="nl") == [_story_titled(reader, "Rotterdam")["id"]]
    db = copy_store(store_db, tmp_path / "lang.db")
    conn = sqlite3.connect(db)
    rotterdam_article = conn.execute(
        "SELECT m.article_id FROM story_articles m JOIN stories s ON s.id = m.story_id "
        "WHERE s.title LIKE '%Rotterdam%' AND s.status = 'active' ORDER BY m.seq LIMIT 1").fetchone()[0]
    with conn:  # as a store of multilingual stories would hold it
        conn.execute("UPDATE article_records SET language = 'de' WHERE id = ?", (rotterdam_article,))
    conn.close()
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        rotterdam = _story_titled(client, "Rotterdam")
        assert _ids(client, language="DE") == [rotterdam["id"]]
        assert rotterdam["languages"] == ["de", "en", "nl"]
        assert '<option value="de">de</option>' in client.get("/stories").text


def test_bad_place_point_and_language_parameters_are_400s_naming_them(reader) -> None:
    for params, word in (({"lat": "54.3"}, "lat, lon and km"), ({"lat": "x", "lon": "1", "km": "5"}, "lat"),
                         ({"lat": "91", "lon": "1", "km": "5"}, "lat"), ({"lat": "1", "lon": "1", "km": "0"}, "km"),
                         ({"lat": "1", "lon": "1", "km": "nan"}, "km"), ({"language": "english"}, "language"),
                         ({"place": "!!"}, "place")):
        for path in ("/stories.json", "/stories/map.json", "/stories/timeline.json"):
            r = reader.get(path, params=params)
            assert r.status_code == 400, (path, params, r.text)
            assert word in r.json()["error"]["message"]


def test_the_map_json_has_the_event_places_of_every_filtered_story(reader) -> None:
    everything = reader.get("/stories/map.json").json()
    assert everything["stories"] == everything["stories_mapped"] == 3
    by_story = {f["properties"]["story"]: f for f in everything["places"]["features"]}
    assert set(by_story) == set(_ids(reader))
    countries = {f["properties"]["name"] for f in everything["countries"]["features"]}
    assert {"Poland", "Netherlands", "Croatia"} <= countries
    west, south, east, north = everything["bbox"]
    for f in everything["places"]["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert west <= lon <= east and south <= lat <= north
    nl = reader.get("/stories/map.json", params={"country": "NL"}).json()
    rotterdam = _story_titled(reader, "Rotterdam")
    assert {f["properties"]["story"] for f in nl["places"]["features"]} == {rotterdam["id"]}
    assert [f["properties"]["name"] for f in nl["places"]["features"]] == ["Rotterdam"]
    assert nl["stories"] == 1
    none = reader.get("/stories/map.json", params={"q": "nothingmatchesthis"}).json()
    assert none["bbox"] is None and none["places"]["features"] == [] and none["stories"] == 0


def test_the_timeline_counts_the_filtered_stories_by_event_day(reader) -> None:
    stories = _stories(reader)
    data = reader.get("/stories/timeline.json").json()
    expected: dict[str, int] = {}
    for s in stories:
        expected[s["event_day"]] = expected.get(s["event_day"], 0) + 1
    assert {d["day"]: d["stories"] for d in data["days"]} == expected
    assert data["total"] == 3 and data["undated"] == 0
    assert [d["day"] for d in data["days"]] == sorted(expected)
    pl = reader.get("/stories/timeline.json", params={"country": "PL"}).json()
    assert pl["days"] == [{"day": _story_titled(reader, "Gdańsk")["event_day"], "stories": 1}]


def test_the_stories_page_asks_the_map_and_timeline_for_the_same_filters(reader) -> None:
    html = reader.get("/stories", params={"country": "PL", "offset": 0}).text
    assert 'data-map="/stories/map.json?country=PL"' in html
    assert 'data-timeline="/stories/timeline.json?country=PL"' in html
    assert not _inline_scripts(html)
    assert '<script src="/static/leaflet/leaflet.js" defer></script>' in html


def test_the_bounding_box_holds_every_point_within_the_distance() -> None:
    import random

    from pyproj import Geod

    from crosswire.serve.geo import bounding_box, distance_km

    geod, rnd = Geod(ellps="WGS84"), random.Random(13)
    centres = [(54.35, 18.65, 300.0), (0.0, 179.9, 500.0), (-33.9, -179.5, 80.0), (89.0, 10.0, 200.0),
               (-88.5, -60.0, 50.0), (70.0, 25.0, 1500.0), (1.0, 1.0, 15000.0)]
    centres += [(rnd.uniform(-85, 85), rnd.uniform(-180, 180), rnd.uniform(1, 3000)) for _ in range(40)]
    for lat, lon, km in centres:
        south, north, ranges = bounding_box(lat, lon, km)
        for _ in range(60):
            azimuth, d = rnd.uniform(0, 360), km * rnd.uniform(0.0, 1.0) ** 0.5
            plon, plat, _ = geod.fwd(lon, lat, azimuth, d * 1000)
            assert abs(distance_km(lat, lon, plat, plon) - d) < 1e-3
            assert south <= plat <= north, (lat, lon, km, plat)
            assert any(w <= plon <= e for w, e in ranges), (lat, lon, km, plon, ranges)
    south, north, ranges = bounding_box(0.0, 179.9, 500.0)
    assert len(ranges) == 2 and ranges[1][0] == -180.0  # across the antimeridian: two ranges
    assert bounding_box(89.0, 10.0, 200.0)[2] == [(-180.0, 180.0)]  # over the pole: every longitude

def test_every_filter_and_sort_lists_the_same_stories_in_html_as_in_json(reader) -> None:
    gdansk = _story_titled(reader, "Gdańsk")
    place = gdansk["places"][0]
    cases = [{"since": "2025-03-13", "until": "2025-03-31"}, {"country": "PL"}, {"place": "rotterdam"},
             {"place": str(place["geonameid"])}, {"lat": place["lat"], "lon": place["lon"], "km": 10},
             {"cameo": "19"}, {"outlet": "Lowlands Post"}, {"language": "en"}, {"conflict": 1}, {"min_sources": 6},
             {"sort": "sources"}, {"sort": "conflicts"}, {"sort": "newest"}, {"q": "explosion", "sort": "relevance"},
             {"limit": 1, "offset": 1}]
    narrowed = 0
    for params in cases:
        listed = _ids(reader, **params)
        html = reader.get("/stories", params=params)
        assert html.status_code == 200, (params, html.text)
        assert re.findall(r'<li class="story-item" data-id="([0-9a-f]+)"', html.text) == listed, params
        narrowed += len(listed) < 3
    assert narrowed >= 10  # most of them leave stories out on this store


def test_a_bad_query_is_a_400_in_the_one_error_shape(reader) -> None:
    for params, word in (({"since": "last week"}, "since"), ({"country": "Poland"}, "country"),
                         ({"sort": "random"}, "sort"), ({"cameo": "1%"}, "cameo")):
        r = reader.get("/stories.json", params=params)
        assert r.status_code == 400
        body = r.json()
        assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
        assert body["error"]["status"] == 400 and word in body["error"]["message"]
    missing = reader.get("/stories/0000000000000000.json")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert "0000000000000000" in missing.json()["error"]["message"]
    assert reader.get("/stories/0000000000000000").headers["content-type"].startswith("text/html")


def test_match_expression_quotes_every_word() -> None:
    assert match_expression(["a", 'b"c']) == '"a" "b""c"'


# ---------------------------------------------------------------- a story
def test_the_story_json_is_exactly_crosswire_show_format_json(reader, store_db) -> None:
    for s in _stories(reader):
        expected = _show_json(store_db, s["id"])
        assert reader.get(f"/stories/{s['id']}.json").text == expected
        twin = reader.get(f"/stories/{s['id']}", headers={"Accept": "application/json"})
        assert twin.text == expected and twin.headers["content-type"] == "application/json"
        assert reader.get(f"/stories/{s['id'][:8]}.json").text == expected  # a unique prefix, as show takes


def test_the_story_page_links_each_fact_to_its_span(reader) -> None:
    story = _story_titled(reader, "Rotterdam")
    record = reader.get(f"/stories/{story['id']}.json").json()
    html = reader.get(f"/stories/{story['id']}").text
    fact = next(f for f in record["facts"] if f["sources"] and f["kind"] == "count")
    src = fact["sources"][0]
    where = "t" if src.get("in") == "title" else "b"
    anchor = f"{where}-{src['start']}-{src['end']}"
    assert f'href="/articles/{src["article"]}?mark={anchor}#{anchor}"' in html
    article = reader.get(f"/articles/{src['article']}", params={"mark": anchor}).text
    assert f'id="{anchor}"' in article
    text = reader.get(f"/articles/{src['article']}.json").json()["title" if where == "t" else "text"]
    assert text[src["start"]:src["end"]] == src["text"]
    marked = re.search(rf'<a class="anchor" id="{anchor}"></a>(.*?)</mark>', article, re.S)
    assert marked and src["text"].startswith(re.sub(r"<[^>]+>", "", marked.group(1))[: len(src["text"])])


def test_the_map_data_has_the_event_place_and_country_outlines(reader) -> None:
    story = _story_titled(reader, "Gdańsk")
    data = reader.get(f"/stories/{story['id']}/map.json").json()
    names = {f["properties"]["name"]: f["properties"]["event"] for f in data["places"]["features"]}
    assert names.get("Gdańsk") is True
    countries = {f["properties"]["name"] for f in data["countries"]["features"]}
    assert "Poland" in countries
    west, south, east, north = data["bbox"]
    lon, lat = next(f["geometry"]["coordinates"] for f in data["places"]["features"]
                    if f["properties"]["name"] == "Gdańsk")
    assert west < lon < east and south < lat < north


def test_since_lists_an_article_added_after_that_time(store_db, tmp_path) -> None:
    import time

    db = copy_store(store_db, tmp_path / "since.db")
    conn = sqlite3.connect(db)
    sid, title, text, published = conn.execute(
        "SELECT s.id, a.title, a.text, a.published FROM stories s JOIN story_articles m ON m.story_id = s.id "
        "JOIN articles a ON a.id = m.article_id WHERE s.title LIKE '%Rotterdam%' AND s.status = 'active' "
        "AND m.role = 'original' ORDER BY m.seq LIMIT 1").fetchone()
    before = {r[0] for r in conn.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (sid,))}
    conn.close()
    since = datetime.now(timezone.utc).replace(microsecond=0)
    time.sleep(1.1)  # the store's timestamps are to the second: what follows is strictly later
    update = tmp_path / "update.jsonl"  # a later report of the same story (our own words added to the demo's)
    update.write_text(json.dumps({"title": title + " (update)", "maintext": text + "\n\nThe harbour authority "
                                  "said the quay would reopen on Monday.", "url": "https://harbour-gazette.example/u1",
                                  "source_domain": "harbour-gazette.example", "date_publish": published}) + "\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(update), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    added = {r[0] for r in conn.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (sid,))} - before
    conn.close()
    assert len(added) == 1
    new = added.pop()
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        stamp = since.isoformat().replace("+00:00", "Z")
        data = client.get(f"/stories/{sid}.json", params={"since": stamp}).json()
        changes = data.pop("changed_since")
        assert data == client.get(f"/stories/{sid}.json").json()  # the record itself is crosswire show's
        assert "changed_since" not in client.get(f"/stories/{sid}.json").json()
        assert changes["since"] == since.isoformat()
        assert [a["id"] for a in changes["articles"]] == [new]
        assert changes["articles"][0]["placed_at"] > since.isoformat()
        new_sources = {f["id"] for f in data["facts"] if any(s["article"] == new for s in f["sources"])}
        assert {f["id"] for f in changes["facts"]} == new_sources
        assert any(c["kind"] == "cross-checked" for c in changes["status"])
        html = client.get(f"/stories/{sid}", params={"since": stamp}).text
        section = html.split('<section id="changes">', 1)[1].split("</section>", 1)[0]
        assert f'<li data-id="{new}"><a href="/articles/{new}">' in section
        earlier = client.get(f"/stories/{sid}.json", params={"since": "2000-01-01"}).json()["changed_since"]
        assert {a["id"] for a in earlier["articles"]} == before | {new}
        later = client.get(f"/stories/{sid}.json", params={"since": "2999-01-01T00:00:00+02:00"}).json()
        assert later["changed_since"] == {"since": "2998-12-31T22:00:00+00:00", "articles": [], "facts": [], "status": []}
        bad = client.get(f"/stories/{sid}.json", params={"since": "yesterday"})
        assert bad.status_code == 400 and "since" in bad.json()["error"]["message"]


def test_related_stories_say_why(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "related.db")
    conn = sqlite3.connect(db)
    ids = dict(conn.execute("SELECT CASE WHEN title LIKE '%Rotterdam%' THEN 'r' ELSE 'g' END, id FROM stories "
                            "WHERE status = 'active' AND (title LIKE '%Rotterdam%' OR title LIKE '%Gda%')"))
    why = {"places": [], "dates": ["2025-03-12"], "entities": ["Continental Press Agency"], "time_gap_days": 3,
           "clashes": ["event place Rotterdam vs Gdańsk"], "similarity": {"body": 0.41, "title": 0.52, "names": 0.2}}
    with conn:  # as grouping records a new story close to an older one (stories.group)
        conn.execute("INSERT INTO story_links(story_id, related_id, probability, why, created_at) VALUES (?, ?, ?, ?, ?)",
                     (ids["r"], ids["g"], 0.31, json.dumps(why), "2025-03-15T00:00:00+00:00"))
    conn.close()
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        for story, other in ((ids["g"], ids["r"]), (ids["r"], ids["g"])):
            html = client.get(f"/stories/{story}").text
            related = html.split('<section id="related">', 1)[1].split("</section>", 1)[0]
            assert f'data-id="{other}"' in related and "probability 31%" in related
            assert "no shared place" in related and "shared dates: 2025-03-12" in related
            assert "3 days apart" in related and "clashes: event place Rotterdam vs Gdańsk" in related
            assert "text similarity body 0.41, title 0.52, names 0.2" in related

# ---------------------------------------------------------------- articles and outlets
def test_the_article_json_is_the_export_record_plus_facts(reader, store_db) -> None:
    story = _story_titled(reader, "Rotterdam")
    aid = reader.get(f"/stories/{story['id']}.json").json()["articles"][0]["id"]
    result = CliRunner().invoke(cli, ["export", "-", "--what", "articles", "--format", "jsonl", "--db", str(store_db),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    exported = next(json.loads(line) for line in result.stdout.splitlines() if json.loads(line)["id"] == aid)
    got = reader.get(f"/articles/{aid}.json").json()
    assert {k: got[k] for k in exported} == exported
    assert got["facts"] and all(got["text"][f["start"]:f["end"]] == f["text"] for f in got["facts"])
    assert got["story"]["id"] == story["id"]
    page = reader.get(f"/articles/{aid}").text
    assert page.count('<mark class="fact"') >= 1
    for r in got["removed"]:  # what cleaning removed is shown with its reason
        assert r["reason"].replace("_", " ") in page


def test_an_outlet_page_lists_its_articles_and_record(reader) -> None:
    r = reader.get("/outlets/Lowlands Post.json")
    assert r.status_code == 200
    data = r.json()
    assert data["outlet"] == "Lowlands Post" and data["articles"] == len(data["listed"]) >= 1
    record = data["record"]
    assert record["stories_checked"] >= 1 and record["agrees"] + record["conflicts"] + record["silent"] > 0
    assert reader.get("/outlets/No Such Outlet.json").status_code == 404


def test_openapi_at_api_describes_the_paths(reader) -> None:
    spec = reader.get("/api").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/stories", "/stories/{ref}", "/articles/{ref}", "/outlets/{name}", "/stories/{ref}/merge",
                 "/stories/{ref}/split", "/stories/map.json", "/stories/timeline.json"):
        assert path in spec["paths"], sorted(spec["paths"])


# ---------------------------------------------------------------- security
def _inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html, re.I)


def test_hostile_articles_are_shown_escaped_on_every_page(reader) -> None:
    story = _story_titled(reader, "Kestrel")
    record = reader.get(f"/stories/{story['id']}.json").json()
    pages = [reader.get("/stories").text, reader.get("/stories", params={"q": "ferry"}).text,
             reader.get(f"/stories/{story['id']}").text]
    pages += [reader.get(f"/articles/{a['id']}").text for a in record["articles"]]
    pages += [reader.get("/outlets/" + a["outlet"]).text for a in record["articles"] if a["outlet"]]
    for html in pages:
        assert not _inline_scripts(html)
        assert "<img src=x" not in html and "<svg onload" not in html and "<b onmouseover" not in html
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
        assert "document.body.dataset.pwned='script'</script>" not in html
    story_page = pages[2]
    assert "&lt;img src=x onerror=" in story_page  # the title, as text
    article_pages = re.sub(r"<[^>]+>", "", "".join(pages[3:]))  # the text, as the reader sees it (marks removed)
    assert "&lt;script&gt;document.title=" in article_pages and "&lt;svg onload=" in article_pages


def test_every_page_sends_a_csp_without_inline_script(reader) -> None:
    story = _stories(reader)[0]["id"]
    for path in ("/stories", f"/stories/{story}", f"/stories/{story}.json", "/api", "/stories/nope"):
        csp = reader.get(path).headers["content-security-policy"]
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert script.split() == ["script-src", "'self'"]
        assert "default-src 'none'" in csp


def test_reads_never_write_the_store(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "ro.db")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        for s in client.get("/stories.json").json()["stories"]:
            client.get(f"/stories/{s['id']}")
            client.get(f"/stories/{s['id']}.json")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not Path(str(db) + "-wal").exists()


def test_a_missing_store_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        create_app(tmp_path / "nothing.db", read_only=True)
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "nothing.db"), "--read-only"])
    assert result.exit_code == 2 and "no store at" in result.output


def test_serve_refuses_a_short_token_and_both_token_and_read_only(store_db) -> None:
    short = CliRunner().invoke(cli, ["serve", "--db", str(store_db), "--token", "abc"])
    assert short.exit_code == 2 and "16 characters" in short.output
    both = CliRunner().invoke(cli, ["serve", "--db", str(store_db), "--token", TOKEN, "--read-only"])
    assert both.exit_code == 2 and "not both" in both.output


# ---------------------------------------------------------------- writes
def _corrections(db: Path) -> list[tuple[str, dict]]:
    conn = sqlite3.connect(db)
    try:
        return [(k, json.loads(p)) for k, p in conn.execute("SELECT kind, payload FROM story_corrections ORDER BY id")]
    finally:
        conn.close()


def _members(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT article_id, story_id FROM story_articles"))
    finally:
        conn.close()


def test_writes_need_the_token(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "w.db")
    app = create_app(db, token=TOKEN, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        a, b = [s["id"] for s in client.get("/stories.json").json()["stories"][:2]]
        url = f"/stories/{a}/merge"
        none = client.post(url, json={"other": b})
        assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
        assert none.json()["error"]["code"] == "unauthorized"
        assert client.post(url, json={"other": b}, headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert client.post(url, json={"other": b}, headers={"Authorization": TOKEN}).status_code == 401
        assert client.post(url, data={"other": b}, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 422
    assert _corrections(db) == []
    ro = create_app(db, read_only=True, cache=tmp_path / "catalog2.sqlite")
    with running(ro) as base, httpx.Client(base_url=base, timeout=120) as client:
        r = client.post(f"/stories/{a}/merge", json={"other": b}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 403 and "read-only" in r.json()["error"]["message"]
    assert _corrections(db) == []


def test_merge_and_split_are_recorded_like_the_cli(store_db, tmp_path) -> None:
    web = copy_store(store_db, tmp_path / "web.db")
    cli_db = copy_store(store_db, tmp_path / "cli.db")
    app = create_app(web, token=TOKEN, cache=tmp_path / "catalog.sqlite")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        gdansk = _story_titled(client, "Gdańsk")["id"]
        rotterdam = _story_titled(client, "Rotterdam")["id"]
        record = client.get(f"/stories/{gdansk}.json").json()
        leaving = [a["id"] for a in record["articles"] if a["role"] == "original"][-1:]
        r = client.post(f"/stories/{gdansk}/split", json={"articles": leaving}, headers=auth)
        assert r.status_code == 200, r.text
        new = r.json()["new"]
        assert new in {s["id"] for s in _stories(client)}  # the list sees the write at once
        r = client.post(f"/stories/{gdansk}/merge", json={"other": rotterdam}, headers=auth)
        assert r.status_code == 200, r.text
        assert r.json() == {"story": gdansk, "merged": rotterdam}
        ids = {s["id"] for s in _stories(client)}
        assert rotterdam not in ids and gdansk in ids
        assert client.get(f"/stories/{rotterdam}.json").json()["id"] == gdansk  # a merged id leads on
        bad = client.post(f"/stories/{gdansk}/split", json={"articles": ["0000000000000000"]}, headers=auth)
        assert bad.status_code == 400 and "not in story" in bad.json()["error"]["message"]
    runner = CliRunner()
    assert runner.invoke(cli, ["split", gdansk, *leaving, "--db", str(cli_db)]).exit_code == 0
    assert runner.invoke(cli, ["merge", gdansk, rotterdam, "--db", str(cli_db)]).exit_code == 0
    assert _corrections(web) == _corrections(cli_db) and len(_corrections(web)) == 2
    assert _members(web) == _members(cli_db)


def test_the_list_follows_another_process_writing_the_store(store_db, tmp_path) -> None:
    db = copy_store(store_db, tmp_path / "live.db")
    app = create_app(db, read_only=True, cache=tmp_path / "catalog.sqlite")
    with running(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        gdansk, rotterdam = _story_titled(client, "Gdańsk")["id"], _story_titled(client, "Rotterdam")["id"]
        assert CliRunner().invoke(cli, ["merge", gdansk, rotterdam, "--db", str(db)]).exit_code == 0
        import time

        deadline = time.monotonic() + 10
        while rotterdam in {s["id"] for s in _stories(client)}:
            assert time.monotonic() < deadline, "the list never saw the merge"
            time.sleep(0.2)


def test_overlapping_spans_are_all_highlighted_and_every_anchor_has_a_place() -> None:
    from crosswire.serve.views import _segments

    text = "Three killed in Gdansk on Monday"
    spans = [{"start": 0, "end": 12, "anchor": "b-0-12", "label": "count"},
             {"start": 6, "end": 22, "anchor": "b-6-22", "label": "claim"},
             {"start": 16, "end": 22, "anchor": "b-16-22", "label": "place"},
             {"start": 16, "end": 22, "anchor": "b-16-22", "label": "entity"},
             {"start": 40, "end": 50, "anchor": "b-40-50", "label": "past the end"}]
    pieces = _segments(text, spans)
    assert "".join(p["text"] for p in pieces) == text
    for s in spans[:4]:
        inside = [p for p in pieces if p["start"] >= s["start"] and p["end"] <= s["end"]]
        assert "".join(p["text"] for p in inside) == text[s["start"]:s["end"]]
        assert all(s["label"] in p["facts"] for p in inside)
    anchors = [a for p in pieces for a in p["anchors"]]
    assert sorted(anchors) == sorted({"b-0-12", "b-6-22", "b-16-22", "b-40-50"})
    assert [p["text"] for p in pieces if not p["marked"]] == [" on Monday", ""]


def test_serve_binds_the_loopback_by_default() -> None:
    import inspect

    from crosswire.cli.serve import _loopback, serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    assert _loopback("127.0.0.1") and _loopback("::1") and _loopback("localhost")
    assert not _loopback("0.0.0.0") and not _loopback("192.168.1.10")


def test_the_catalog_lives_beside_the_store_under_a_name_git_ignores(tmp_path) -> None:
    from crosswire.serve.catalog import default_cache_path

    assert default_cache_path(tmp_path / "news.db") == (tmp_path / "news.serve-cache.db").resolve()
    assert default_cache_path(tmp_path / "news.serve-cache.db") != (tmp_path / "news.serve-cache.db").resolve()
