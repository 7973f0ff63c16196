"""crosswire serve in a real browser on real news, not only on the demo: the two seed reports
(../shared/seeds) and a few incidents of GVC's dev split (../shared/corpora), every stage run on them
at test time (no corpus text is kept in the project). Every story page draws its map, each fact's
link lands on its span in the article, every article opens, and nothing runs a script error, hits
the Content-Security-Policy or asks another server for anything. Skipped, saying why, without the
seeds, the corpora or Chromium."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import httpx
import pytest

from serve_support import browser_page, browser_site

from crosswire.serve import create_app

ROOT = Path(__file__).resolve().parents[1]
SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")) if p.is_dir()), None)
CORPORA = Path(os.environ.get("CROSSWIRE_CORPORA") or ROOT.parent / "shared" / "corpora")
INCIDENTS, PER_INCIDENT = 2, 2  # the first incidents of the dev split with two reports or more, and their first reports


@pytest.fixture(scope="module")
def site(tmp_path_factory):  # type: ignore[no-untyped-def]
    if SEEDS is None:
        pytest.skip("../shared/seeds is absent")
    if not (CORPORA / "gvc" / "documents.jsonl").is_file():
        pytest.skip("../shared/corpora/gvc is absent")
    from crosswire.config import Settings
    from crosswire.evaluate.ecbplus import write_jsonl
    from crosswire.evaluate.gvc_stories import read_gvc_stories
    from crosswire.run import run_stages
    from crosswire.store import Store

    by_incident = defaultdict(list)
    for doc in read_gvc_stories(CORPORA / "gvc", "dev"):
        by_incident[doc.gold].append(doc)
    chosen = [docs[:PER_INCIDENT] for _, docs in sorted(by_incident.items()) if len(docs) >= 2][:INCIDENTS]
    folder = tmp_path_factory.mktemp("corpora-browser")
    gvc = folder / "gvc-dev.jsonl"
    write_jsonl([d for docs in chosen for d in docs], gvc)
    db = folder / "store.db"
    with Store(db) as store:
        run_stages([str(SEEDS), str(gvc)], store, Settings(db=str(db), workers=1))
    with browser_site(create_app(db, read_only=True, cache=folder / "catalog.sqlite")) as served:
        yield served


def test_every_story_of_the_seeds_and_gvc_reads_in_the_browser(site) -> None:  # type: ignore[no-untyped-def]
    base, browser = site
    stories = httpx.get(f"{base}/stories.json", params={"limit": 100}, timeout=120).json()["stories"]
    assert len(stories) >= 1 + INCIDENTS - 1  # the seeds' story and the incidents' (one may be split or merged)
    with browser_page(base, browser) as page:
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url))
        page.goto("/stories")
        page.wait_for_selector("#stories-map[data-drawn]", timeout=60_000)
        assert page.locator("#stories li.story-item").count() == len(stories)
        spans = articles = 0
        for story in stories:
            page.goto(f"/stories/{story['id']}")
            page.wait_for_selector("#story-title")
            page.wait_for_selector("#map[data-drawn]", timeout=60_000)
            for i in range(min(page.locator("#facts a.span-link[href*='#b-']").count(), 2)):
                page.goto(f"/stories/{story['id']}")
                link = page.locator("#facts a.span-link[href*='#b-']").nth(i)
                quoted = link.inner_text().split("“", 1)[1].rstrip("”")
                link.click()
                page.wait_for_selector("#text .target")
                assert "".join(page.locator("#text .target").all_inner_texts()) == quoted
                spans += 1
            page.goto(f"/stories/{story['id']}")
            hrefs = page.locator("#sources a[href^='/articles/']").evaluate_all(
                "els => [...new Set(els.map(e => e.getAttribute('href').split('?')[0].split('#')[0]))]")
            assert hrefs, story["title"]
            for href in hrefs:
                page.goto(href)
                page.wait_for_selector("#text")
                articles += 1
        assert spans >= len(stories) and articles >= len(stories)
        assert not page.errors  # type: ignore[attr-defined]
        outside = [u for u in asked if not u.startswith((base + "/", "data:"))]
        assert not outside, outside
