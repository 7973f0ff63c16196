"""crosswire serve in a real browser: Debian's Chromium driven by Playwright (never `playwright
install`), against the real server on a loopback port and a real store (the demo corpus and hostile
articles of our own). Skipped only when no Chromium is installed, saying so."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from serve_support import TOKEN, browser_page, browser_site, build_store

from crosswire.serve import create_app

SHOTS = os.environ.get("CROSSWIRE_SCREENSHOTS")  # a folder to keep the screenshots in (docs); else a temp one


@pytest.fixture(scope="module")
def site(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("browser")
    db = build_store(folder)
    app = create_app(db, token=TOKEN, cache=folder / "catalog.sqlite")
    with browser_site(app) as served:
        yield served


@pytest.fixture
def page(site):  # type: ignore[no-untyped-def]
    with browser_page(*site) as pg:
        yield pg


def _shot(page, name: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A screenshot of the page, kept in $CROSSWIRE_SCREENSHOTS (the docs' pictures) when it is set."""
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / name), full_page=False)
    assert (shots / name).stat().st_size > 10_000


def _listed(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#stories li.story-item").evaluate_all("els => els.map(e => e.dataset.id)")


def _not_tampered(page) -> None:  # type: ignore[no-untyped-def]
    """No hostile script ran: each would have set document.title or a data-pwned on the body."""
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.title() not in ("pwned", "pwned-at-ingest") and page.title().endswith("crosswire")


def test_search_then_open_a_story_and_follow_a_fact_to_its_span(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page.goto("/stories")
    page.fill("#q", "fireboats")
    page.click("form.search button")
    page.wait_for_url("**/stories?q=fireboats*")
    links = page.locator("#stories a.story-link")
    assert links.count() == 1
    assert "Rotterdam" in links.first.inner_text()
    links.first.click()
    page.wait_for_selector("#story-title")
    assert "Rotterdam" in page.inner_text("#story-title")
    span = page.locator("#facts a.span-link[href*='#b-']").first
    quoted = span.inner_text().split("“", 1)[1].rstrip("”")
    span.click()
    page.wait_for_selector("#text .target")
    target = "".join(page.locator("#text .target").all_inner_texts())
    assert target == quoted
    assert page.evaluate("document.querySelector('#text .target').getBoundingClientRect().top") < 900  # scrolled to
    _shot(page, "serve-article.png", tmp_path)
    assert not page.errors  # type: ignore[attr-defined]


def test_a_filter_narrows_the_list(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/stories")
    assert page.locator("#stories a.story-link").count() == 3
    page.select_option("select[name=country]", "PL")
    page.click("#filters button")
    page.wait_for_url("**country=PL*")
    titles = page.locator("#stories a.story-link").all_inner_texts()
    assert len(titles) == 1 and "Gdańsk" in titles[0]
    assert not page.errors  # type: ignore[attr-defined]


def test_the_stories_page_maps_and_times_the_filtered_stories(page, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto("/stories")
    page.wait_for_selector("#stories-map[data-drawn]", timeout=60_000)
    page.wait_for_selector("#stories-timeline[data-bars]", timeout=60_000)
    every = _listed(page)
    assert len(every) == 3
    assert page.get_attribute("#stories-map", "data-drawn") == "3"
    assert page.get_attribute("#stories-map", "data-stories") == " ".join(sorted(every))
    assert page.locator("#stories-map path.story-point").count() == 3  # the points, drawn by Leaflet
    assert page.locator("#stories-map path.leaflet-interactive").count() >= 3
    assert page.get_attribute("#stories-timeline", "data-bars") == "3"  # three event days
    assert page.locator("#stories-timeline svg rect.bar").count() == 3
    outside = [u for u in asked if not u.startswith((base + "/", "data:"))]
    assert not outside, outside  # offline: no tile server, no CDN
    _shot(page, "serve-stories.png", tmp_path)
    _not_tampered(page)

    page.fill("input[name=place]", "gdansk")  # the filters narrow the list, the map and the timeline
    page.click("#filters button")
    page.wait_for_url("**place=gdansk*")
    page.wait_for_selector("#stories-map[data-drawn]", timeout=60_000)
    page.wait_for_selector("#stories-timeline[data-bars]", timeout=60_000)
    gdansk = _listed(page)
    assert len(gdansk) == 1 and gdansk[0] in every
    assert page.get_attribute("#stories-map", "data-stories") == gdansk[0]
    assert page.get_attribute("#stories-timeline", "data-bars") == "1"

    page.goto("/stories")  # within N km of a point (Warsaw): Gdańsk, about 284 km away, and not the others
    page.fill("input[name=km]", "300")
    page.fill("input[name=lat]", "52.2297")
    page.fill("input[name=lon]", "21.0122")
    page.click("#filters button")
    page.wait_for_url("**km=300*")
    assert _listed(page) == gdansk
    page.wait_for_selector("#stories-map[data-drawn]", timeout=60_000)
    assert page.get_attribute("#stories-map", "data-drawn") == "1"

    page.goto("/stories")  # a bar of the timeline lists the stories reported in its time
    page.wait_for_selector("#stories-timeline[data-bars]", timeout=60_000)
    bar = page.locator("#stories-timeline svg a").first
    day = bar.locator("rect").get_attribute("data-day")
    bar.click()
    page.wait_for_url(f"**since={day}*")
    assert 1 <= len(_listed(page)) < 3
    assert not page.errors  # type: ignore[attr-defined]


def test_hostile_text_never_runs_and_shows_as_text(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/stories?q=Kestrel")
    _not_tampered(page)
    assert "<img src=x onerror=" in page.inner_text("#stories")
    page.click("#stories a.story-link")
    page.wait_for_selector("#story-title")
    _not_tampered(page)
    assert "onerror=" in page.inner_text("#story-title")
    for href in page.locator("#sources li > a:first-child").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        page.goto(href)
        page.wait_for_selector("#text")
        _not_tampered(page)
        assert page.locator("#text script, #text svg, #text img, #headline img, a[href^='javascript']").count() == 0
    page.goto("/stories?q=Kestrel")
    page.click("#stories a.story-link")
    page.wait_for_selector("#story-title")
    page.wait_for_selector("#map[data-drawn]", timeout=60_000)
    _not_tampered(page)
    assert not page.errors  # type: ignore[attr-defined]


def test_the_map_draws_offline(page, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto("/stories?country=PL")
    page.click("#stories a.story-link")
    page.wait_for_selector("#map[data-drawn]", timeout=60_000)
    assert int(page.get_attribute("#map", "data-drawn")) >= 1
    assert int(page.get_attribute("#map", "data-countries")) >= 2
    assert page.locator("#map path.leaflet-interactive").count() >= 3  # outlines and the event's dot
    outside = [u for u in asked if not u.startswith((base + "/", "data:"))]
    assert not outside, outside  # no tile server, no CDN: everything from this server
    _shot(page, "serve-story.png", tmp_path)
    assert not page.errors  # type: ignore[attr-defined]


def test_split_with_the_token_and_refused_without(page, site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page.goto("/stories?country=NL")
    page.click("#stories a.story-link")
    page.wait_for_selector("#split-form")
    story = page.get_attribute("#story", "data-id")
    boxes = page.locator("#split-form input[name=articles]")
    boxes.nth(boxes.count() - 1).check()
    page.fill("#split-form input[name=token]", "not-the-token")
    page.click("#split-form button")
    page.wait_for_selector("#correction-result[data-status]")
    assert page.get_attribute("#correction-result", "data-status") == "403"
    page.errors.clear()  # type: ignore[attr-defined]  # the browser logs the refused request as an error
    page.fill("#split-form input[name=token]", TOKEN)
    page.click("#split-form button")
    page.wait_for_selector("#correction-result[data-status='200']")
    new = page.locator("#correction-result a").get_attribute("href").rsplit("/", 1)[1]
    stories = httpx.get(f"{base}/stories.json", timeout=60).json()["stories"]
    assert new in {s["id"] for s in stories} and story in {s["id"] for s in stories}
    assert not page.errors  # type: ignore[attr-defined]
