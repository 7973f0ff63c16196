"""The briefing of a story (``crosswire show``), rendered from a hand-made view of an invented event:
a ferry fire off Split, Croatia, reported by five invented outlets (one a syndicated copy), with a
conflicting injury count, a reference check that fails, one that cannot be verified, and hostile
markup in an article's text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from crosswire.present.briefing import outline, render_html, render_json, render_markdown
from crosswire.present.svgmap import svg_map

WIRE, COPY, DALMATIA, GAZETTE, RIVIERA = (
    "a1f0c3d2e4b5a6c7", "b2e1d4c3f5a6b7c8", "c3d2e5f4a6b7c8d9", "d4c3f6a5b7c8d9e0", "e5d4a7b6c8d9e0f1")
SCRIPT = '<script>alert("boilerplate")</script>'
SPLIT = {"name": "Split", "geonameid": 3190261, "country": "HR", "lat": 43.50891, "lon": 16.43915}
HVAR = {"name": "Hvar", "geonameid": 3199131, "country": "HR", "lat": 43.1725, "lon": 16.44278}
ANCONA = {"name": "Ancona", "geonameid": 3183089, "country": "IT", "lat": 43.5982, "lon": 13.51008}


def span(article: str, start: int, text: str) -> dict[str, Any]:
    return {"article": article, "start": start, "end": start + len(text), "text": text}


def count(n: float, qualifier: str | None = None, unit: str | None = None) -> dict[str, Any]:
    return {"value": n, "low": n, "high": n, "qualifier": qualifier, "unit": unit}


def ferry_story() -> dict[str, Any]:
    """The view ``crosscheck_story`` gives (INTERFACE.md show-JSON plus matrix, timeline,
    unverified, published_inferred), for an invented event."""
    article = {"authors": [], "removed": []}
    return {
        "id": "5f0e8d7c6b5a4938",
        "title": "Two dead as fire sweeps ferry off Split",
        "articles": [
            {**article, "id": WIRE, "title": "Two dead as fire sweeps ferry off Split", "outlet": "Adriatic Wire Service",
             "url": "https://adriaticwire.example/2025/06/14/ferry-fire", "authors": ["Lena Horvat"],
             "published": "2025-06-14", "published_source": "metadata", "role": "original",
             "removed": [{"reason": "share_buttons", "text": "Share this article"}]},
            {**article, "id": COPY, "title": "Ferry blaze off Croatian coast kills two", "outlet": "Coastal Chronicle",
             "url": "https://coastalchronicle.example/world/ferry-blaze", "published": "2025-06-14",
             "published_source": "metadata", "role": "copy",
             "removed": [{"reason": "attribution", "text": "This article was first published by Adriatic Wire Service."}]},
            {**article, "id": DALMATIA, "title": "Ferry fire: 31 hurt, two crew dead <b>live</b>",
             "outlet": "Dalmatia Today", "url": "javascript:alert('url')", "published": "2025-06-15",
             "published_source": "text",
             "removed": [{"reason": "embed", "text": SCRIPT}, {"reason": "newsletter",
                                                                "text": "Sign up for our morning briefing"}]},
            {**article, "id": GAZETTE, "title": "Lastovka fire: what we know", "outlet": "The Island Gazette",
             "url": None, "published": "2025-06-15", "published_source": "inferred"},
            {**article, "id": RIVIERA, "title": "Ancona-bound ferry burns off Croatia", "outlet": "Riviera Post",
             "url": "https://rivierapost.example/ferry", "published": "2025-06-14", "published_source": "metadata"},
        ],
        "event": {"type": {"cameo": None, "label": "accident: fire"},
                  "when": {"start": "2025-06-14", "end": "2025-06-14"}, "where": [SPLIT]},
        "facts": [
            {"id": "f-killed", "kind": "casualties", "about": "killed", "value": count(2.0), "text": "Two crew members died",
             "status": "corroborated", "independent_sources": 3,
             "sources": [span(WIRE, 0, "Two dead"), span(COPY, 0, "kills two"), span(DALMATIA, 22, "two crew dead"),
                         span(RIVIERA, 140, "two crew members were killed")]},
            {"id": "f-injured", "kind": "casualties", "about": "injured", "value": count(23.0),
             "text": "23 passengers were injured", "status": "conflict", "independent_sources": 3,
             "sources": [span(WIRE, 61, "23 passengers were injured"), span(COPY, 70, "23 passengers were injured"),
                         span(RIVIERA, 180, "23 injured"), span(DALMATIA, 12, "31 hurt")],
             "values": [{"value": count(23.0), "text": "23 passengers were injured",
                         "sources": [span(WIRE, 61, "23 passengers were injured"),
                                     span(COPY, 70, "23 passengers were injured"), span(RIVIERA, 180, "23 injured")]},
                        {"value": count(31.0), "text": "31 hurt", "sources": [span(DALMATIA, 12, "31 hurt")]}]},
            {"id": "f-when", "kind": "date", "about": "event.when",
             "value": {"value": "2025-06-14", "type": "DATE", "precision": "day"}, "text": "on Saturday",
             "status": "corroborated", "independent_sources": 3,
             "sources": [span(WIRE, 100, "on Saturday"), span(DALMATIA, 90, "Saturday, June 14"),
                         span(GAZETTE, 40, "on Saturday afternoon")]},
            {"id": "f-where", "kind": "place", "about": "event.where", "value": SPLIT, "text": "off Split",
             "status": "corroborated", "independent_sources": 4,
             "sources": [span(WIRE, 30, "Split"), span(DALMATIA, 95, "Split"), span(GAZETTE, 80, "Split"),
                         span(RIVIERA, 20, "Split")]},
            {"id": "f-aboard", "kind": "count", "about": "passenger", "value": count(214.0, "about"),
             "text": "some 214 passengers", "status": "single_source", "independent_sources": 1,
             "sources": [span(GAZETTE, 200, "some 214 passengers")]},
            {"id": "f-hvar", "kind": "place", "about": "place", "value": HVAR, "text": "Hvar",
             "status": "single_source", "independent_sources": 1, "sources": [span(WIRE, 240, "Hvar")]},
            {"id": "f-ancona", "kind": "place", "about": "place", "value": ANCONA, "text": "Ancona",
             "status": "single_source", "independent_sources": 1, "sources": [span(RIVIERA, 5, "Ancona")]},
            {"id": "f-claim", "kind": "claim", "about": "cause", "value": "<img src=x onerror=alert('fact')>",
             "text": "the fire began in the engine room <img src=x onerror=alert('fact')>",
             "status": "single_source", "independent_sources": 1,
             "sources": [span(DALMATIA, 300, "the fire began in the engine room")]},
        ],
        "quotes": [
            {"speaker": "Ivana Perić", "speaker_title": "harbour master of Split",
             "text": "The fire started in the engine room and reached the car deck within minutes.",
             "sources": [span(WIRE, 400, "The fire started in the engine room and reached the car deck within minutes."),
                         span(COPY, 410, "The fire started in the engine room and reached the car deck within minutes.")]},
            {"speaker": "Marco Bellini", "speaker_title": None,
             "text": "We saw black smoke. Then everyone ran to the lifeboats.",
             "sources": [span(RIVIERA, 500, "We saw black smoke. Then everyone ran to the lifeboats.")]},
        ],
        "checks": [
            {"kind": "cross_source", "verdict": "consistent", "facts": ["f-killed"],
             "detail": "Four reports from three independent outlets give 2 killed."},
            {"kind": "cross_source", "verdict": "inconsistent", "facts": ["f-injured"],
             "detail": "Injured: 23 in three reports (two independent), 31 in one. The higher figure may include crew."},
            {"kind": "internal", "verdict": "consistent", "facts": ["f-killed"],
             "detail": "Dalmatia Today gives two dead in its headline and in its body."},
            {"kind": "reference", "check": "weekday", "verdict": "consistent", "facts": ["f-when"], "article": DALMATIA,
             "span": {"start": 90, "end": 107, "text": "Saturday, June 14"},
             "claimed": {"weekday": "Saturday", "date": "2025-06-14"}, "computed": {"weekday": "Saturday"},
             "tolerance": "exact", "detail": "June 14, 2025 was a Saturday."},
            {"kind": "reference", "check": "distance", "verdict": "inconsistent", "facts": [], "article": RIVIERA,
             "span": {"start": 60, "end": 90, "text": "about 150 km from Ancona"},
             "claimed": {"km": 150, "qualifier": "about", "from": "Split", "to": "Ancona"},
             "computed": {"km": 236.9, "method": "WGS84 geodesic between GeoNames coordinates"},
             "tolerance": {"low": 135, "high": 165, "rule": "'about N' = N +- 10%"},
             "detail": "Split is 236.9 km from Ancona, not about 150 km."},
        ],
        "unverified": [
            {"kind": "reference", "check": "anniversary", "verdict": "unverifiable", "facts": [], "article": GAZETTE,
             "span": {"start": 600, "end": 640, "text": "the 50th anniversary of Lastovka Lines"},
             "claimed": {"ordinal": 50, "of": "Lastovka Lines"}, "computed": None, "tolerance": None,
             "detail": "No reference data for the founding of Lastovka Lines, and the story does not date it."},
        ],
        "matrix": {
            "outlets": ["Adriatic Wire Service", "Coastal Chronicle", "Dalmatia Today", "Riviera Post",
                        "The Island Gazette"],
            "rows": [
                {"fact": "f-killed", "label": "killed: 2", "cells": {
                    "Adriatic Wire Service": "agrees", "Coastal Chronicle": "agrees", "Dalmatia Today": "agrees",
                    "Riviera Post": "agrees", "The Island Gazette": "silent"}},
                {"fact": "f-injured", "label": "injured: 23", "cells": {
                    "Adriatic Wire Service": "agrees", "Coastal Chronicle": "agrees", "Dalmatia Today": "conflicts",
                    "Riviera Post": "agrees", "The Island Gazette": "silent"}},
                {"fact": "f-when", "label": "when: 2025-06-14", "cells": {
                    "Adriatic Wire Service": "agrees", "Coastal Chronicle": "silent", "Dalmatia Today": "agrees",
                    "Riviera Post": "silent", "The Island Gazette": "agrees"}},
                {"fact": "f-aboard", "label": "passengers aboard: about 214", "cells": {
                    "The Island Gazette": "agrees"}},
            ]},
        "timeline": [
            {"date": "2025-06-15", "label": "The harbour authority opens an inquiry", "sources": [GAZETTE]},
            {"date": "2025-06-14", "label": "Fire breaks out on the ferry Lastovka off Split",
             "sources": [span(WIRE, 0, "fire"), span(DALMATIA, 0, "fire")]},
            {"date": "2019-05-02", "label": "The Lastovka enters service", "sources": [GAZETTE]},
        ],
        "published_inferred": [{"article": GAZETTE, "published": "2025-06-15",
                                "detail": "the latest full date in the text whose weekday agrees"}],
    }


# ---------------------------------------------------------------- JSON
def test_json_is_the_view_itself_with_contract_keys_first() -> None:
    view = ferry_story()
    text = render_json(view)
    assert json.loads(text) == view
    assert list(json.loads(text))[:7] == ["id", "title", "articles", "event", "facts", "quotes", "checks"]
    assert render_json(json.loads(text)) == text  # stable


# ---------------------------------------------------------------- Markdown
_CITE = r"\[\d+\](?:(?:–)?\[\d+\])*"


def _prose(md: str) -> list[tuple[str, str]]:
    """Every sentence of the Markdown outside headings and the table skeleton, with its line."""
    out = []
    for line in md.splitlines():
        s = line.strip()
        if not s or s.startswith("#") or re.fullmatch(r"\|(?:---\|)+", s):
            continue
        if s.startswith("| fact |"):
            continue  # the matrix header: outlet names, not a statement
        s = re.sub(r"^- (\[\d+\] )?", "", s).lstrip("- ")
        if line.lstrip().startswith("- [") and re.match(r"- \[\d+\] ", line.strip()):
            continue  # a source entry of the reference list: it is what citations point to
        if s.startswith("|"):
            s = s.split("|")[1]  # a matrix row: its fact cell carries the citations
        s = re.sub(r"“[^”]*”", "“…”", s)  # quoted article text is not the briefing's own sentence
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", s):
            out.append((sentence, line))
    return out


def test_every_sentence_of_the_markdown_cites_a_source() -> None:
    md = render_markdown(ferry_story())
    prose = _prose(md)
    assert len(prose) > 30
    for sentence, line in prose:
        assert re.search(_CITE, sentence.replace("\\[", "").replace("\\]", "")), f"uncited: {sentence!r} in {line!r}"
    numbers = {int(n) for n in re.findall(r"(?<!\\)\[(\d+)\]", md)}
    assert numbers == {1, 2, 3, 4, 5}  # every citation points into the five-article reference list


def test_markdown_shows_status_matrix_timeline_quotes_checks_and_sources() -> None:
    md = render_markdown(ferry_story())
    assert "- **corroborated** (3 independent sources) killed: 2. “Two crew members died” [1]–[3][5]" in md
    assert "- **conflict** (3 independent sources) injured: 23." in md
    assert "  - 23 “23 passengers were injured” [1][2][5]" in md and "  - 31 “31 hurt” [3]" in md
    assert "**single source** (1 independent source) passengers aboard: about 214. “some 214 passengers” [4]" in md
    assert "| killed: 2 [1]–[3][5] | agrees | agrees | agrees | agrees | — |" in md
    dates = re.findall(r"^- (\d{4}-\d\d-\d\d): ", md, re.M)
    assert dates == sorted(dates) == ["2019-05-02", "2025-06-14", "2025-06-15"]
    assert "Ivana Perić, harbour master of Split, quoted by Adriatic Wire Service, Coastal Chronicle. " in md
    assert "- **inconsistent** reference (distance): Split is 236.9 km from Ancona, not about 150 km." in md
    assert "  - computed: km 236.9, method WGS84 geodesic between GeoNames coordinates. [5]" in md
    assert "## Could not be verified" in md and "- **unverifiable** reference (anniversary): No reference" in md
    assert "- **event** Split (HR), 43.509, 16.439. [1][3]–[5]" in md and "- **mentioned** Ancona (IT), 43.598, 13.510. [5]" in md
    assert "  - **removed: embed** “\\<script\\>alert" in md
    assert ("- [4] The Island Gazette, “Lastovka fire: what we know”, 2025-06-15 (inferred: the latest full date "
            "in the text whose weekday agrees)") in md
    assert "a copy of another report" in md


def test_markdown_escapes_article_markup() -> None:
    md = render_markdown(ferry_story())
    assert not re.search(r"(?<!\\)<(script|img|b)\b", md)  # every tag of the article's text is escaped
    assert r'\<script\>alert("boilerplate")\</script\>' in md


# ---------------------------------------------------------------- HTML
class _Page(HTMLParser):
    """Tags, attributes and text of a page, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_article_script_shows_as_text_and_nothing_runs() -> None:
    html = render_html(ferry_story())
    page = _parse(html)
    names = [t for t, _ in page.tags]
    assert "script" not in names and "img" not in names and "b" not in names
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]  # no event handlers
    text = "".join(page.text)
    assert SCRIPT in text  # shown, as text
    assert "the fire began in the engine room <img src=x onerror=alert('fact')>" in text
    assert "Ferry fire: 31 hurt, two crew dead <b>live</b>" in text
    links = [attrs["href"] for t, attrs in page.tags if t == "a"]
    assert not [h for h in links if h and not (h.startswith("#") or h.startswith("https://"))]  # no javascript:
    assert "javascript:alert('url')" in text  # the bad URL is shown, not linked


def test_html_is_one_self_contained_page_readable_on_a_phone() -> None:
    html = render_html(ferry_story())
    page = _parse(html)
    assert [t for t, _ in page.tags].count("html") == 1
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed")
        for k in ("src", "srcset", "data"):
            assert k not in attrs, (tag, attrs)
    assert "@import" not in html and "url(" not in html
    assert ("meta", {"name": "viewport", "content": "width=device-width,initial-scale=1"}) in page.tags
    assert "<svg" in html and "@media (max-width:36rem)" in html
    assert 'class="scroll"' in html  # the matrix scrolls sideways on a narrow screen, the page does not


def test_html_cites_every_statement_and_links_citations_to_sources() -> None:
    html = render_html(ferry_story())
    page = _parse(html)
    ids = {attrs.get("id") for _, attrs in page.tags}
    cited = {attrs["href"][1:] for t, attrs in page.tags if t == "a" and re.fullmatch(r"#s\d+", attrs.get("href") or "")}
    assert cited == {"s1", "s2", "s3", "s4", "s5"} <= ids
    for block in re.findall(r"<li[^>]*>(?:(?!</li>).)*</li>", html, re.S):
        if "sources" in block[:40] or re.match(r'<li id="s\d', block):
            continue
        assert 'class="cite"' in block, block
    assert html.count('class="badge conflict"') >= 2  # the fact and the event-place marker
    assert "<details><summary>2 pieces of boilerplate removed</summary>" in html
    assert '<td class="conflicts">conflicts</td>' in html


def test_outline_lists_an_article_cited_but_missing_from_the_story() -> None:
    view = ferry_story()
    view["quotes"][1]["sources"].append(span("ffffffffffffffff", 0, "We saw black smoke."))
    o = outline(view)
    assert o["sources"][-1]["id"] == "ffffffffffffffff" and o["sources"][-1]["n"] == 6
    assert "not among the story's articles" in render_markdown(view)


def test_a_view_with_no_facts_still_renders_with_citations() -> None:
    view = {"id": "0123456789abcdef", "title": "Quiet story", "articles": ferry_story()["articles"][:1],
            "event": {"type": {"cameo": None, "label": "unknown"}, "when": {"start": None, "end": None}, "where": []},
            "facts": [], "quotes": [], "checks": []}
    md = render_markdown(view)
    for sentence, line in _prose(md):
        assert re.search(_CITE, sentence), line
    assert "<svg" not in render_html(view)


# ---------------------------------------------------------------- the map
def test_svg_map_is_valid_xml_with_every_place_over_country_outlines() -> None:
    svg = svg_map([{**SPLIT, "role": "event"}, HVAR, ANCONA, {"name": "Nowhere", "lat": None, "lon": None}])
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    labels = [t.text for t in root.iter(f"{ns}text")]
    assert {"Split", "Hvar", "Ancona"} <= set(labels) and "Nowhere" not in labels
    countries = {p.find(f"{ns}title").text for p in root.iter(f"{ns}path") if p.find(f"{ns}title") is not None}
    assert {"Croatia", "Italy"} <= countries
    event = [c for c in root.iter(f"{ns}circle") if c.get("r") == "6"]
    assert len(event) == 1
    width, height = map(float, root.get("viewBox").split()[2:])
    for c in root.iter(f"{ns}circle"):  # every point inside the frame, not on its edge
        assert 20 < float(c.get("cx")) < width - 20 and 20 < float(c.get("cy")) < height - 20


def test_svg_map_places_points_where_they_are() -> None:
    svg = svg_map([{**SPLIT, "role": "event"}, ANCONA])
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    spots = {g.find(f"{ns}text").text: (float(g.find(f"{ns}circle").get("cx")), float(g.find(f"{ns}circle").get("cy")))
             for g in root.iter(f"{ns}g") if g.find(f"{ns}circle") is not None}
    (sx, sy), (ax, ay) = spots["Split"], spots["Ancona"]
    assert ax < sx and abs(ay - sy) < 0.1 * (sx - ax)  # Ancona lies west of Split, at about the same latitude
    assert not svg_map([]) and not svg_map([{"name": "x", "lat": "n/a", "lon": 3}])


def test_svg_map_escapes_names() -> None:
    svg = svg_map([{"name": "<script>x</script> & Co", "lat": 54.35, "lon": 18.65, "role": "event"}])
    root = ET.fromstring(svg)
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
    assert "<script>x</script> & Co" in [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


# ---------------------------------------------------------------- a real browser
def _browser() -> list[str] | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        path = shutil.which(name)
        if path:
            return [path, "--headless", "--disable-gpu", "--no-sandbox", "--dump-dom"]
    return None


def test_a_real_browser_shows_the_script_as_text(tmp_path: Path) -> None:
    """Chromium, when installed, loads the page offline: the article's script is text, never run."""
    cmd = _browser()
    if cmd is None:
        pytest.skip("no Chromium/Chrome installed on this machine (and no Playwright): no real-browser test")
    page = tmp_path / "briefing.html"
    page.write_text(render_html(ferry_story()), encoding="utf-8")
    dom = subprocess.run([*cmd, page.as_uri()], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "<script>" not in dom and "&lt;script&gt;alert" in dom
    assert "<svg" in dom
