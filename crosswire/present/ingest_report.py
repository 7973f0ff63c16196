"""What ingest and analysis found, as an HTML section (the demo page ends with it): articles,
copies, cleaning, rejections, and each article's main event with the facts behind it.

The view is a plain dict built once (:func:`ingest_view`); the HTML only renders it. All article
text is escaped: a ``<script>`` in an article shows as text.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from crosswire.store import Store

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:62rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.muted{color:#777}.copy{background:#fff6e0}.reason{font-family:monospace;
background:#eef;padding:0 .3rem;border-radius:3px}details{margin:.2rem 0}summary{cursor:pointer}
pre{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.5rem}
.scroll{overflow-x:auto}
"""


def ingest_view(store: Store) -> dict[str, Any]:
    """Everything the report shows, as plain data."""
    articles = []
    for a, p in store.iter_articles_published():
        articles.append(
            {
                "id": a.id, "title": a.title, "outlet": a.outlet, "url": a.url, "authors": a.authors,
                "published": p.get("published"), "published_source": p.get("published_source"),
                "published_given": a.published,
                "language": a.language, "source": a.source, "duplicate_of": a.duplicate_of,
                "similarity": a.similarity, "chars": len(a.text),
                "removed": [r.to_dict() for r in a.removed],
                "analysis": _analysis(store, a.id),
            }
        )
    reasons = Counter(r["reason"] for a in articles for r in a["removed"])
    rejections = [{"source": r.source, "reason": r.reason, "detail": r.detail} for r in store.rejections()]
    return {
        "articles": articles,
        "copies": sum(1 for a in articles if a["duplicate_of"]),
        "removed_by_reason": dict(reasons.most_common()),
        "rejections": rejections,
    }


def _analysis(store: Store, article_id: str) -> dict[str, Any] | None:
    got = store.analysis_of(article_id)
    if got is None:
        return None
    facts = store.facts_of(article_id)
    shown = [
        {"kind": f.kind, "about": f.about, "text": f.text, "value": f.value}
        for f in facts
        if f.role == "event" or f.kind in ("quote", "published")
    ]
    return {"status": got["status"], "reason": got["reason"], "detail": got["detail"],
            "event": got["event"] or {}, "facts": len(facts), "shown": shown}


def _event_cell(an: dict[str, Any] | None) -> str:
    if an is None:
        return "<span class=muted>not analysed</span>"
    if an["status"] == "skipped":
        return f"<span class=reason>{_e(an['reason'])}</span> <span class=muted>{_e(an['detail'])}</span>"
    ev = an["event"]
    kind = ev.get("type", {})
    when = ev.get("when", {})
    where = ", ".join(f"{_e(p.get('name'))} ({_e(p.get('country'))})" for p in ev.get("where", [])[:2])
    parts = [f"<strong>{_e(kind.get('label'))}</strong>"
             + (f" <span class=muted>CAMEO {_e(kind.get('cameo'))}</span>" if kind.get("cameo") else ""),
             f"when {_e(when.get('start') or '?')}" + (f" to {_e(when.get('end'))}"
                                                        if when.get("end") not in (None, when.get("start")) else ""),
             f"where {where or '?'}"]
    if ev.get("killed") is not None or ev.get("injured") is not None:
        parts.append(f"killed {_e(ev.get('killed'))}, injured {_e(ev.get('injured'))}")
    facts = "".join(f"<li><span class=reason>{_e(f['kind'])}</span> {_e(f['about'])}: {_e(f['text'])}</li>"
                    for f in an["shown"])
    return ("<br>".join(parts) + f"<details><summary>{an['facts']} facts; the event's and the quotes"
            f"</summary><ul>{facts}</ul></details>")


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def ingest_section(view: dict[str, Any]) -> str:
    """What :func:`ingest_view` found, as HTML: a summary line, the articles (with their copies,
    cleaning and main event) and the rejected inputs, under ``<h2>`` headings."""
    titles = {a["id"]: a["title"] for a in view["articles"]}
    rows = []
    for a in view["articles"]:
        copy = ""
        if a["duplicate_of"]:
            copy = (
                f"copy of <em>{_e(titles.get(a['duplicate_of'], a['duplicate_of']))}</em> "
                f"(similarity {a['similarity']:.2f})"
            )
        removed = "".join(
            f"<li><span class=reason>{_e(r['reason'])}</span> {_e(r['text'])}</li>" for r in a["removed"]
        )
        published = (
            f"{_e(a['published'])} <span class=muted>({_e(a['published_source'])})</span>"
            if a["published"] else "<span class=muted>unknown</span>"
        )
        rows.append(
            f"<tr class='{'copy' if a['duplicate_of'] else ''}'><td><strong>{_e(a['title'])}</strong>"
            f"<div class=muted>{_e(a['source'])}</div>"
            f"<details><summary>{len(a['removed'])} piece(s) removed</summary><ul>{removed}</ul>"
            f"</details></td><td>{_e(a['outlet'])}</td><td>{published}</td><td>{_e(a['language'])}</td>"
            f"<td>{copy}</td><td>{_event_cell(a['analysis'])}</td></tr>"
        )
    reasons = ", ".join(f"{_e(k)} {v}" for k, v in view["removed_by_reason"].items()) or "nothing"
    rejected = "".join(
        f"<tr><td>{_e(r['source'])}</td><td><span class=reason>{_e(r['reason'])}</span></td>"
        f"<td>{_e(r['detail'])}</td></tr>"
        for r in view["rejections"]
    )
    return (
        f"<p>{len(view['articles'])} articles stored, {view['copies']} of them "
        f"copies of another; cleaning removed: {reasons}.</p>"
        "<h2>Articles</h2><div class=scroll><table><tr><th>article</th><th>outlet</th><th>published</th>"
        f"<th>lang</th><th>copy</th><th>main event</th></tr>{''.join(rows)}</table></div>"
        f"<h2>Rejected inputs</h2>"
        + (f"<div class=scroll><table><tr><th>input</th><th>reason</th><th>detail</th></tr>{rejected}</table></div>"
           if rejected else "<p>none</p>")
    )

