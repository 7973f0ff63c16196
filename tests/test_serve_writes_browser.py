"""crosswire serve's writes in a real browser (Debian's Chromium driven by Playwright): review a
conflict, fix an article's outlet, ingest uploads from the page and follow the job, and the stories
page showing a new story while it is open; refused without the token, and hostile text never runs.
Skipped only when no Chromium is installed, saying so."""

from __future__ import annotations

import json

import httpx
import pytest

from serve_support import TOKEN, browser_page, browser_site, build_store

from crosswire.config import Settings
from crosswire.serve import create_app

PWNED = "<img src=x onerror=\"document.body.dataset.pwned='{}'\">"


def derailment(title: str, outlet: str, hurt: str) -> bytes:
    """A news article of our own (news-please JSON): a tram derailment in Graz."""
    text = (f"A tram derailed on the Jakominiplatz in Graz, Austria, on Thursday, August 14, 2025, and {hurt} "
            "passengers were hurt, the city's transport company said.\n\nThe last car left the rails on a curve "
            "during the morning rush and struck a kiosk; the driver was unhurt. Lines 4 and 5 were diverted for "
            "the rest of the day.\n\n\"We are checking the points and the car's brakes,\" a spokesman for the "
            "operator told reporters at the square. Police closed the square to traffic until the afternoon.")
    return json.dumps({"title": title, "maintext": text, "source_domain": outlet, "language": "en",
                       "date_publish": "2025-08-14 12:00:00", "url": f"https://{outlet}/graz-tram"}).encode()


def bridge(title: str, outlet: str, hurt: str) -> bytes:
    """Another of our own: a footbridge collapse in Linz."""
    text = (f"A pedestrian footbridge over the Danube in Linz, Austria, collapsed on Saturday, May 10, 2025, and "
            f"{hurt} people were injured, the city's fire service said.\n\nThe steel span gave way shortly after "
            "noon while a crowd was crossing to the weekend market on the north bank. Divers searched the river "
            "for two hours but found no one missing.\n\n\"The bridge had been inspected in March,\" deputy mayor "
            "Karin Hofer told reporters. Engineers were examining the broken supports.")
    return json.dumps({"title": title, "maintext": text, "source_domain": outlet, "language": "en",
                       "date_publish": "2025-05-10 15:00:00", "url": f"https://{outlet}/linz-bridge"}).encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("browser-writes")
    db = build_store(folder)
    app = create_app(db, token=TOKEN, cache=folder / "catalog.sqlite", settings=Settings(db=str(db), workers=1))
    with browser_site(app) as served:
        yield served


@pytest.fixture
def page(site):  # type: ignore[no-untyped-def]
    with browser_page(*site) as pg:
        yield pg


def _not_tampered(page) -> None:  # type: ignore[no-untyped-def]
    """No hostile script ran: each would have set data-pwned on the body or the title."""
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.title() != "pwned" and page.title().endswith("crosswire")


def _open_story(page, country: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"/stories?country={country}")
    page.click("#stories a.story-link")
    page.wait_for_selector("#story-title")
    return page.get_attribute("#story", "data-id")


def _refused_then(page, selector: str, token_field: str, submit: str) -> None:  # type: ignore[no-untyped-def]
    """Send the form with a wrong token (refused 403, shown), then with the right one."""
    page.fill(token_field, "not-the-token-at-all")
    page.click(submit)
    page.wait_for_selector(f"{selector}[data-status='403']")
    assert "refused (403)" in page.inner_text(selector)
    page.errors.clear()  # type: ignore[attr-defined]  # the browser logs the refused request as an error
    page.fill(token_field, TOKEN)
    page.click(submit)


def test_review_a_conflict_with_the_token_and_refused_without(page, site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    story = _open_story(page, "PL")
    box = page.locator(".review[data-state='open']").first
    fact = box.get_attribute("id").removeprefix("review-")
    form = f"#review-{fact} form.review-form"
    page.fill(f"{form} input[name=note]", "Checked with the plant " + PWNED.format("note"))
    page.fill(f"{form} input[name=by]", "ana")
    _refused_then(page, f"{form} .review-result", f"{form} input[name=token]", f"{form} button[value=reviewed]")
    page.wait_for_selector(f"#review-{fact}[data-state='reviewed']")
    assert "reviewed by ana" in page.inner_text(f"#review-{fact}")
    _not_tampered(page)
    page.reload()
    page.wait_for_selector(f"#review-{fact}[data-state='reviewed'] .review-note")
    assert page.inner_text(f"#review-{fact} .review-note") == "Checked with the plant " + PWNED.format("note")
    assert page.locator(f"#review-{fact} img").count() == 0
    _not_tampered(page)
    reviews = httpx.get(f"{base}/stories/{story}.json", timeout=60).json()["reviews"]
    assert [(r["fact"], r["action"], r["who"]) for r in reviews] == [(fact, "reviewed", "ana")]
    # and withdrawn from the page
    page.fill(f"{form} input[name=token]", TOKEN)
    page.click(f"{form} button[value=withdrawn]")
    page.wait_for_selector(f"#review-{fact}[data-state='withdrawn']")
    assert not page.errors  # type: ignore[attr-defined]


def test_fix_an_articles_outlet_from_its_page(page, site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    _open_story(page, "NL")
    page.click("#sources li > a:first-child")
    page.wait_for_selector("#article-fix-form")
    aid = page.get_attribute("#article", "data-id")
    before = httpx.get(f"{base}/articles/{aid}.json", timeout=60).json()["outlet"]
    page.fill("#article-fix-form input[name=outlet]", "Harbour Gazette " + PWNED.format("outlet"))
    _refused_then(page, "#article-fix-result", "#article-fix-form input[name=token]", "#article-fix-form button")
    page.wait_for_selector("#article-fix-result[data-status='200']", timeout=120_000)
    assert page.get_attribute("#article-fix-result", "data-changed") == "outlet"
    _not_tampered(page)
    page.click("#article-fix-result a")  # reload
    page.wait_for_selector("#article-corrections ol.history li")
    assert "Harbour Gazette <img" in page.inner_text("#article-corrections")
    assert page.locator("#article img, #article-corrections img").count() == 0
    _not_tampered(page)
    # put the old outlet back with the history's button
    page.fill("#article-fix-form input[name=token]", TOKEN)
    page.click(f"button.revert[data-value='{before}']")
    page.wait_for_selector("#article-fix-result[data-status='200']", timeout=120_000)
    assert httpx.get(f"{base}/articles/{aid}.json", timeout=60).json()["outlet"] == before
    assert not page.errors  # type: ignore[attr-defined]


def test_ingest_uploads_from_the_page_and_follow_the_job(page, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = {"linz-courier.json": bridge("Footbridge collapses in Linz, four hurt", "danube-courier.example", "four"),
             "linz-wire.json": bridge("Linz footbridge gives way " + PWNED.format("upload"), "alpine-wire.example",
                                      "five"),
             "short.txt": b"Not an article."}
    paths = []
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
        paths.append(str(tmp_path / name))
    page.goto("/ingest")
    page.set_input_files("#ingest-form input[name=files]", paths)
    _refused_then(page, "#ingest-result", "#ingest-form input[name=token]", "#ingest-form button")
    page.wait_for_selector("#ingest-result[data-status='202'] #job-link")
    page.click("#job-link")
    page.wait_for_selector("#job[data-state='finished']", timeout=300_000)  # the page follows the job itself
    assert "missing_text" in page.inner_text("#job-rejected")
    counts = page.inner_text("#job-counts")
    assert "stored\n2" in counts or "stored 2" in counts.replace("\t", " ")
    _not_tampered(page)
    page.click("#job-stories a")
    page.wait_for_selector("#story-title")
    assert "Linz" in page.inner_text("#sources")
    assert page.locator("#sources img, #story-title img").count() == 0
    _not_tampered(page)
    assert not page.errors  # type: ignore[attr-defined]


def test_the_stories_page_shows_a_new_story_while_it_is_open(page, site) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page.goto("/stories")
    page.wait_for_selector("#live[data-version]")
    assert "Graz" not in page.inner_text("#stories")
    page.evaluate("window.stayed = true")  # gone if the page were loaded again
    files = [("files", ("graz-a.json", derailment("Tram derails in Graz, six hurt " + PWNED.format("live"),
                                                  "styria-news.example", "six"), "application/json")),
             ("files", ("graz-b.json", derailment("Six passengers hurt as Graz tram leaves the rails",
                                                  "alpine-wire.example", "six"), "application/json"))]
    r = httpx.post(f"{base}/ingest", files=files, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert r.status_code == 202, r.text
    page.locator("#stories a.story-link", has_text="Graz").first.wait_for(timeout=300_000)
    assert page.evaluate("window.stayed") is True  # updated in place, not reloaded
    assert "updated" in page.inner_text("#live")
    assert page.locator("#stories img").count() == 0 and "<img src=x" in page.inner_text("#stories")
    _not_tampered(page)
    assert httpx.get(f"{base}{r.json()['url']}.json", timeout=60).json()["state"] == "finished"
    assert not page.errors  # type: ignore[attr-defined]
