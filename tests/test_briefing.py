"""The briefing of a story (``crosswire show``), rendered from a hand-made view of an invented event:
a ferry fire off Split, Croatia, reported by five invented outlets (one a syndicated copy), with a
conflicting injury count, a reference check that fails, one that cannot be verified, and hostile
markup in an article's text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
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


def count(n: float | None, low: float | None = None, high: float | None = None) -> dict[str, Any]:
    return {"value": n, "low": n if low is None else low, "high": n if high is None else high}


OUTLETS = {WIRE: "Adriatic Wire Service", COPY: "Coastal Chronicle", DALMATIA: "Dalmatia Today",
           GAZETTE: "The Island Gazette", RIVIERA: "Riviera Post"}


def fact(fid: str, kind: str, about: str, status: str, groups: list[tuple[Any, str, list[dict[str, Any]]]],
         independent: int) -> dict[str, Any]:
    """A fact as ``crosscheck_story`` gives it: the leading value group first, each group with its
    value, text, articles, outlets and sources."""
    values = [{"value": v, "text": text, "independent_sources": len({OUTLETS[x["article"]] for x in src} - {"Coastal Chronicle"}) or 1,
               "articles": list(dict.fromkeys(x["article"] for x in src)),
               "outlets": list(dict.fromkeys(OUTLETS[x["article"]] for x in src)), "sources": src}
              for v, text, src in groups]
    return {"id": fid, "kind": kind, "about": about, "value": values[0]["value"], "text": values[0]["text"],
            "status": status, "independent_sources": independent, "sources": [x for v in values for x in v["sources"]],
            "slot": f"{kind}:{about}", "values": values, "stored_facts": []}


def ferry_story() -> dict[str, Any]:
    """The record ``crosscheck_story`` gives (INTERFACE.md show-JSON plus matrix, timeline,
    published_inferred, unverified and summary), for an invented event."""
    article = {"authors": [], "removed": [], "role": "original", "why": {}}
    killed = [span(WIRE, 0, "Two dead"), span(COPY, 0, "kills two"), span(DALMATIA, 22, "two crew dead"),
              span(RIVIERA, 140, "two crew members were killed")]
    quote1 = [span(WIRE, 400, "The fire started in the engine room and reached the car deck within minutes."),
              span(COPY, 410, "The fire started in the engine room and reached the car deck within minutes.")]
    quote2 = [span(RIVIERA, 500, "We saw black smoke. Then everyone ran to the lifeboats.")]
    facts = [
        fact("f-when", "date", "event.start", "conflict",
             [("2025-06-14", "on Saturday", [span(WIRE, 100, "on Saturday"), span(DALMATIA, 90, "Saturday, June 14")]),
              ("2025-06-13", "on Friday night", [span(GAZETTE, 40, "on Friday night")])], 3),
        fact("f-where", "place", "event.where", "corroborated",
             [(SPLIT, "off Split", [span(WIRE, 30, "Split"), span(DALMATIA, 95, "Split"), span(GAZETTE, 80, "Split"),
                                    span(RIVIERA, 20, "Split")])], 4),
        fact("f-killed", "count", "killed", "corroborated", [(count(2.0), "Two crew members died", killed)], 3),
        fact("f-injured", "count", "injured", "conflict",
             [(count(23.0), "23 passengers were injured", [span(WIRE, 61, "23 passengers were injured"),
                                                            span(COPY, 70, "23 passengers were injured"),
                                                            span(RIVIERA, 180, "23 injured")]),
              (count(31.0), "31 hurt", [span(DALMATIA, 12, "31 hurt")])], 3),
        fact("f-aboard", "count", "passenger", "single_source",
             [(count(None, 200.0, 230.0), "some 214 passengers", [span(GAZETTE, 200, "some 214 passengers")])], 1),
        fact("f-hvar", "place", "place", "single_source", [(HVAR, "Hvar", [span(WIRE, 240, "Hvar")])], 1),
        fact("f-ancona", "place", "place", "single_source", [(ANCONA, "Ancona", [span(RIVIERA, 5, "Ancona")])], 1),
        fact("f-distance", "distance", "from Ancona", "single_source",
             [({"km": 150.0, "low": 135.0, "high": 165.0, "qualifier": "about"}, "about 150 km from Ancona",
               [span(RIVIERA, 60, "about 150 km from Ancona")])], 1),
        fact("f-claim", "claim", "Dalmatia Today", "single_source",
             [({"speaker": None, "speaker_title": None, "text": "the fire began in the engine room <img src=x onerror=alert('fact')>"},
               "the fire began in the engine room <img src=x onerror=alert('fact')>",
               [span(DALMATIA, 300, "the fire began in the engine room")])], 1),
        fact("q-peric", "quote", "Ivana Perić", "single_source",
             [({"speaker": "Ivana Perić"}, quote1[0]["text"], quote1)], 1),
        fact("q-bellini", "quote", "Marco Bellini", "single_source",
             [({"speaker": "Marco Bellini"}, quote2[0]["text"], quote2)], 1),
    ]
    columns = [{"outlet": OUTLETS[a], "articles": [a], "copies": [a] if a == COPY else [],
                "sources": [f"outlet:{OUTLETS[WIRE if a == COPY else a].lower()}"]}
               for a in (WIRE, COPY, DALMATIA, GAZETTE, RIVIERA)]
    rows = []
    for f in facts:
        lead, other = set(f["values"][0]["articles"]), {x for v in f["values"][1:] for x in v["articles"]}
        rows.append({"fact": f["id"], "kind": f["kind"], "about": f["about"], "status": f["status"],
                     "cells": {c["outlet"]: "conflicts" if set(c["articles"]) & other else
                               "agrees" if set(c["articles"]) & lead else "silent" for c in columns}})
    return {
        "id": "5f0e8d7c6b5a4938",
        "title": "Two dead as fire sweeps ferry off Split",
        "articles": [
            {**article, "id": WIRE, "title": "Two dead as fire sweeps ferry off Split", "outlet": OUTLETS[WIRE],
             "url": "https://adriaticwire.example/2025/06/14/ferry-fire", "authors": ["Lena Horvat"],
             "published": "2025-06-14", "published_source": "metadata",
             "removed": [{"reason": "share_buttons", "text": "Share this article"}]},
            {**article, "id": COPY, "title": "Ferry blaze off Croatian coast kills two", "outlet": OUTLETS[COPY],
             "url": "https://coastalchronicle.example/world/ferry-blaze", "published": "2025-06-14",
             "published_source": "metadata", "role": "copy", "why": {"decision": "copy", "copy_of": WIRE},
             "removed": [{"reason": "site_notice", "text": "This article was first published by Adriatic Wire Service."}]},
            {**article, "id": DALMATIA, "title": "Ferry fire: 31 hurt, two crew dead <b>live</b>",
             "outlet": OUTLETS[DALMATIA], "url": "javascript:alert('url')", "published": "2025-06-15",
             "published_source": "text",
             "removed": [{"reason": "embed", "text": SCRIPT}, {"reason": "subscription_promo",
                                                                "text": "Sign up for our morning briefing"}]},
            {**article, "id": GAZETTE, "title": "Lastovka fire: what we know", "outlet": OUTLETS[GAZETTE],
             "url": None, "published": None, "published_source": None},
            {**article, "id": RIVIERA, "title": "Ancona-bound ferry burns off Croatia", "outlet": OUTLETS[RIVIERA],
             "url": "https://rivierapost.example/ferry", "published": "2025-06-14", "published_source": "metadata"},
        ],
        "event": {"type": {"cameo": None, "label": "accident: fire"},
                  "when": {"start": "2025-06-14", "end": "2025-06-14"}, "where": [SPLIT]},
        "facts": facts,
        "quotes": [
            {"id": "q-peric", "speaker": "Ivana Perić", "speaker_title": "harbour master of Split",
             "text": quote1[0]["text"], "sources": quote1, "status": "single_source", "independent_sources": 1,
             "speakers": [{"speaker": "Ivana Perić", "speaker_title": "harbour master of Split", "articles": [WIRE, COPY]}]},
            {"id": "q-bellini", "speaker": "Marco Bellini", "speaker_title": None, "text": quote2[0]["text"],
             "sources": quote2, "status": "single_source", "independent_sources": 1,
             "speakers": [{"speaker": "Marco Bellini", "speaker_title": None, "articles": [RIVIERA]},
                          {"speaker": "a passenger", "speaker_title": None, "articles": [RIVIERA]}]},
        ],
        "checks": [
            {"kind": "cross_source", "verdict": "consistent", "facts": ["f-killed"],
             "detail": "count killed: 3 independent sources agree on 2"},
            {"kind": "cross_source", "verdict": "inconsistent", "facts": ["f-injured"],
             "detail": "count injured: the sources disagree: 23 (Adriatic Wire Service, Coastal Chronicle, Riviera "
                       "Post); 31 (Dalmatia Today). The higher figure may include crew."},
            {"kind": "internal", "check": "headline_body", "verdict": "consistent", "article": DALMATIA,
             "facts": ["f-killed"], "detail": "The headline and the body both give two dead."},
            {"kind": "reference", "check": "weekday", "verdict": "consistent", "facts": ["f-when"], "article": DALMATIA,
             "span": {"start": 90, "end": 107, "text": "Saturday, June 14"},
             "claimed": {"weekday": "Saturday", "date": "2025-06-14"}, "computed": {"weekday": "Saturday"},
             "tolerance": "exact", "detail": "June 14, 2025 was a Saturday.", "stored_facts": []},
            {"kind": "reference", "check": "distance", "verdict": "inconsistent", "facts": ["f-distance"],
             "article": RIVIERA, "span": {"start": 60, "end": 84, "text": "about 150 km from Ancona"},
             "claimed": {"km": 150.0, "qualifier": "about", "from": ["Split"], "to": "Ancona"},
             "computed": {"km": 236.9, "method": "WGS84 geodesic between GeoNames coordinates"},
             "tolerance": {"low": 105.0, "high": 195.0, "km": 45.0, "rule": "max(20% of the claim, 5 km)"},
             "detail": "Split is 236.9 km from Ancona, not about 150 km.", "stored_facts": []},
        ],
        "matrix": {"outlets": columns, "rows": rows},
        "timeline": [
            {"date": "2025-06-14", "what": "event.start", "fact": "f-when", "status": "conflict",
             "outlets": ["Adriatic Wire Service", "Dalmatia Today"],
             "sources": [span(WIRE, 100, "on Saturday"), span(DALMATIA, 90, "Saturday, June 14")]},
            {"date": "2025-06-13", "what": "event.start", "fact": "f-when", "status": "conflict",
             "outlets": ["The Island Gazette"], "sources": [span(GAZETTE, 40, "on Friday night")]},
            {"date": "2025-06-15", "until": "2025-06-21", "what": "published", "article": GAZETTE,
             "outlet": OUTLETS[GAZETTE], "source": "inferred"},
            {"date": "2025-06-14", "what": "published", "article": WIRE, "outlet": OUTLETS[WIRE], "source": "metadata"},
            {"date": "14:05", "what": "event.time", "fact": "f-time", "status": "corroborated",
             "outlets": ["Adriatic Wire Service"], "sources": [span(WIRE, 120, "at 2.05pm")]},
        ],
        "published_inferred": [
            {"article": GAZETTE, "value": None, "low": "2025-06-15", "high": "2025-06-21", "precision": "range",
             "event_day": "2025-06-14", "stage": "pubdates.v1",
             "evidence": [{"kind": "wording", "article": GAZETTE, "start": 20, "end": 35, "text": "Saturday's fire",
                           "detail": "'Saturday's fire' names the event's day, so the article is from 2025-06-15 "
                                     "to 2025-06-21"}]}],
        "unverified": [
            {"kind": "reference", "check": "anniversary", "verdict": "unverifiable", "facts": [], "article": GAZETTE,
             "span": {"start": 600, "end": 640, "text": "the 50th anniversary of Lastovka Lines"},
             "claimed": {"ordinal": 50, "of": "Lastovka Lines"}, "computed": None, "tolerance": None,
             "detail": "No reference data for the founding of Lastovka Lines, and the story does not date it.",
             "stored_facts": []},
        ],
        "summary": {"facts": len(facts), "corroborated": 2, "single_source": 7, "conflict": 2, "unverified": 1},
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
    # the event's facts first, each with its status and independent sources; a conflict with its values
    facts = md.split("## Headline facts")[1].split("##")[0]
    assert facts.index("date: 2025-06-14") < facts.index("place: Split") < facts.index("injured: 23")
    assert "- **corroborated** (3 independent sources) killed: 2. “Two crew members died” [1]–[3][5]" in md
    assert "- **conflict** (3 independent sources) injured: 23. “23 passengers were injured” [1]–[3][5]" in md
    assert "  - 23 “23 passengers were injured” [1][2][5]\n  - 31 “31 hurt” [3]" in md
    assert "- **single source** (1 independent source) passenger: 200–230. “some 214 passengers” [4]" in md
    assert "“The fire started" not in facts  # quotes are in their own section, with their status
    assert ("- **single source** (1 independent source) Ivana Perić, harbour master of Split, quoted by Adriatic "
            "Wire Service, Coastal Chronicle. “The fire started in the engine room") in md
    assert "  - Attributed to a passenger. [5]" in md
    # the matrix: one column per outlet (a copy says so), agrees / conflicts / silent
    assert "| fact | Adriatic Wire Service | Coastal Chronicle (copy) | Dalmatia Today | The Island Gazette |" in md
    assert "| injured: 23 [1]–[3][5] | agrees | agrees | conflicts | — | agrees |" in md
    # the timeline in order; an event time on the event's day; an inferred publication as a range
    lines = md.split("## Timeline")[1].split("##")[0].strip().splitlines()
    assert lines == ["- **conflict** 2025-06-13: the event began. [4]",
                     "- **conflict** 2025-06-14: the event began. [1][3]",
                     "- 2025-06-14: Adriatic Wire Service published (from metadata). [1]",
                     "- 2025-06-14 14:05: time of the event. [1]",
                     "- 2025-06-15 to 2025-06-21: The Island Gazette published (inferred). [4]"]
    # checks cite what they read; reference checks show claimed, computed and tolerance
    assert "- **consistent** reference (weekday): June 14, 2025 was a Saturday. “Saturday, June 14” [3]" in md
    assert "- **inconsistent** reference (distance): Split is 236.9 km from Ancona, not about 150 km." in md
    assert "  - computed: 236.9 km (WGS84 geodesic between GeoNames coordinates). [5]" in md
    assert ("  - tolerance: 105 km to 195 km, 45 km either side of the claim (rule: max(20% of the claim, 5 km))."
            " [5]") in md
    assert "## Could not be verified" in md and "- **unverifiable** reference (anniversary): No reference" in md
    assert "- **event** Split (HR), 43.509, 16.439. [1][3]–[5]" in md
    assert "- **mentioned** Ancona (IT), 43.598, 13.510. [5]" in md
    # sources: outlet, title, date and where it came from, copies, removed boilerplate
    assert ("- [4] The Island Gazette, “Lastovka fire: what we know”, date unknown (inferred: between 2025-06-15 "
            "and 2025-06-21; 'Saturday's fire' names the event's day") in md
    assert "2025-06-14 (from metadata), a copy of another report" in md
    assert "  - **removed: embed** “\\<script\\>alert" in md


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


# ---------------------------------------------------------------- the real pipeline, as a user runs it
def crosswire(*args: str) -> subprocess.CompletedProcess:
    """The command line in its own process (the briefing commands registered as cli.py does)."""
    boot = "import sys; sys.argv[0] = 'crosswire'; from crosswire.cli import main; main()"
    return subprocess.run([sys.executable, "-c", boot, *args], capture_output=True, text=True, timeout=600)


def test_the_demo_page_and_show_on_the_demo_corpus(tmp_path: Path) -> None:
    """The demo (every stage on the shipped corpus), then `show` in each format against its store."""
    from crosswire.config import Settings
    from crosswire.demo import run_demo

    db, page = tmp_path / "demo.db", tmp_path / "demo-briefing.html"
    result = run_demo(Settings(db=str(db), workers=1), page)
    assert result.stories == 2 and result.summary.stored == 14 and result.grouping.copies == 1
    html = page.read_text(encoding="utf-8")
    parsed = _parse(html)
    assert not [t for t, _ in parsed.tags if t in ("script", "link", "img", "iframe")]
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    links = {attrs["href"][1:] for t, attrs in parsed.tags if t == "a" and (attrs.get("href") or "").startswith("#")}
    assert {"st1-story", "st2-story", "ingest"} <= links <= ids  # the index, and every citation, lands somewhere
    assert html.count('<article class="story"') == 2 and html.count("<svg") == 2
    text = "".join(parsed.text)
    assert "invalid_json" in text and "08-processsafety-incidents.jsonl:3" in text  # the rejection
    assert "subscription_promo" in text and "Subscribe to our newsletter" in text  # removed boilerplate

    listed = [json.loads(x) for x in crosswire("stories", "--json", "--db", str(db)).stdout.splitlines()]
    for position in (1, 2):
        md = crosswire("show", str(position), "--db", str(db))
        assert md.returncode == 0, md.stderr
        assert md.stdout.startswith(f"# {listed[position - 1]['title']}\n")
        for sentence, source in _prose(md.stdout):
            assert re.search(_CITE, sentence.replace("\\[", "").replace("\\]", "")), f"uncited: {source!r}"
    story_id = listed[0]["id"]
    record = json.loads(crosswire("show", story_id[:8], "--format", "json", "--db", str(db)).stdout)
    assert list(record)[:7] == ["id", "title", "articles", "event", "facts", "quotes", "checks"]
    assert record["id"] == story_id and record["facts"] and all(f["sources"] for f in record["facts"])
    out = tmp_path / "story.html"
    written = crosswire("show", story_id, "--format", "html", "--output", str(out), "--db", str(db))
    assert written.returncode == 0 and written.stdout == ""
    assert out.read_text(encoding="utf-8") == render_html(record)

    wrong = crosswire("show", "9", "--db", str(db))
    assert wrong.returncode == 2 and "crosswire stories` lists 2" in wrong.stderr
    assert crosswire("show", "1", "--format", "pdf", "--db", str(db)).returncode == 2


def test_run_ingests_analyzes_groups_crosschecks_and_lists_the_stories(tmp_path: Path) -> None:
    from crosswire.demo import corpus_path

    corpus, db = corpus_path(), str(tmp_path / "run.db")
    first = crosswire("run", str(corpus / "01-cpa-wire-gdansk.html"), str(corpus / "09-cpa-wire-rotterdam.html"),
                      str(tmp_path / "missing.txt"), "--db", db, "--workers", "1", "--quiet")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("read 3, stored 2,") and "not_found" in lines[1]
    assert any(x.startswith("cross-checked") for x in lines)
    assert lines[-2:] == crosswire("stories", "--db", db).stdout.splitlines()
    assert all(re.search(r"\s1 articles\s", x) for x in lines[-2:])
    more = crosswire("run", str(corpus / "03-harbourtimes-gdansk.txt"), "--outlet", "The Harbour Times",
                     "--db", db, "--quiet")
    assert more.returncode == 0, more.stderr
    gdansk = next(x for x in more.stdout.splitlines() if "Gdańsk chemical plant" in x)
    assert re.search(r"\s2 articles\s", gdansk) and "The Harbour Times" in gdansk


# ---------------------------------------------------------------- warnings and a reporter's wording
def _mixed() -> dict[str, Any]:
    view = ferry_story()
    view["warnings"] = [{"kind": "several_events",
                         "detail": "this story may mix several events: the reports date the event 2025-06-13 and "
                                   "2025-07-02, 19 days apart",
                         "evidence": [{"sign": "event_days_apart",
                                       "detail": "the reports date the event 2025-06-13 and 2025-07-02, 19 days apart",
                                       "articles": [GAZETTE, WIRE]}]}]
    return view


def test_a_story_of_several_events_says_so_at_the_top_with_its_evidence() -> None:
    view = _mixed()
    md = render_markdown(view)
    first = md.split("\n## ")[1]
    assert first.startswith("Warning\n")
    assert "This story may mix several events" in first and "19 days apart" in first
    assert re.search(r"19 days apart\. \[1\]\[4\]", first)
    page = render_html(view)
    assert page.index('id="warnings"') < page.index('id="lead"') and "19 days apart" in page
    assert json.loads(render_json(view))["warnings"][0]["evidence"][0]["sign"] == "event_days_apart"
    assert "## Warning" not in render_markdown(ferry_story())  # no sign, no warning


def test_values_read_as_a_reporter_writes_them() -> None:
    view = ferry_story()
    for a in view["articles"]:
        a["outlet"] = None
    view["facts"] += [
        fact("f-first", "claim", "event.first", "single_source", [("not_first", "have sailed before", [span(WIRE, 0, "x")])], 1),
        fact("f-km", "distance", "from Split", "single_source", [({"km": 4.828032, "low": None, "high": None,
                                                                    "qualifier": None}, "3 miles", [span(WIRE, 0, "x")])], 1),
        fact("f-person", "name", "person:Ivana Perić", "single_source",
             [("harbour master of Split", "harbour master", [span(WIRE, 0, "x")])], 1)]
    view["unverified"] = [{"kind": "reference", "verdict": "unverifiable", "facts": [], "article": WIRE,
                           "detail": "no coordinates for the quay"}] * 2
    md = render_markdown(view)
    assert "5 reports, outlet unknown" in md and "from 0 outlets" not in md
    assert "event.first: done before" not in md and "first: done before" in md and "not_first" not in md
    assert "from Split: about 4.8 km" in md and "4.828032" not in md
    assert "Ivana Perić: harbour master of Split" in md and "person:" not in md
    assert md.count("no coordinates for the quay") == 1


def test_the_html_briefing_lists_the_conflict_reviews_escaped_as_the_markdown_does() -> None:
    story = ferry_story()
    conflict = next(f for f in story["facts"] if f["status"] == "conflict")
    note = "Checked with the port <script>alert('review')</script>: the master's log says 31."
    reviews = [{"id": 1, "story": story["id"], "fact": conflict["id"], "slot": "count:injured", "action": "reviewed",
                "note": note, "who": "ana <b>", "values": [], "created_at": "2026-03-02T10:00:00Z", "current": True},
               {"id": 2, "story": story["id"], "fact": "0123456789abcdef", "slot": None, "action": "withdrawn",
                "note": "", "who": "crosswire serve", "values": [], "created_at": "2026-03-03T09:00:00Z",
                "current": False}]
    view = {**story, "reviews": reviews}
    html = render_html(view)
    page = _parse(html)
    assert "script" not in [t for t, _ in page.tags] and "b" not in [t for t, _ in page.tags]
    text = "".join(page.text)
    assert "Reviews of its conflicts" in text and note in text and "ana <b>" in text
    assert f"ana <b> reviewed fact {conflict['id']} (count:injured)" in text
    assert "crosswire serve withdrawn fact 0123456789abcdef () (no longer in conflict in this record)" in text
    assert {"href": "#reviews"} in [a for t, a in page.tags if t == "a"]
    md = render_markdown(view)
    assert "## Reviews of its conflicts" in md and f"reviewed fact {conflict['id']}" in md
    assert "Reviews of its conflicts" not in render_html(story)  # no reviews: no section, no link
