"""Whether a sentence is about the story's event: the words of its triggers, actors and places."""

from __future__ import annotations

from crosswire.crosscheck.pubdates import StoryArticle
from crosswire.crosscheck.quotes import fold
from crosswire.crosscheck.read_actors import SPLIT_ACTORS, actor_key
from crosswire.crosscheck.sentences import sentence
from crosswire.crosscheck.slot import CONTENT_WORD, keywords, stem


def event_words(articles: list[StoryArticle]) -> set[str]:
    """Words that say a sentence is about the story's event: the triggers of its main events (and
    of other events of the same CAMEO root), its actors and places (capitals and cities of the
    actors' countries count for them)."""
    words: set[str] = set()
    roots = {((f.get("value") or {}).get("cameo") or "")[:2] for a in articles for f in a.facts
             if f["kind"] == "event" and f["about"] == "main"} - {""}
    import crosswire.extract.events.cameo as cameo

    for root in roots:
        for table in (cameo.NOUNS, cameo.VERBS):
            words |= {stem(k.split()[-1 if table is cameo.NOUNS else 0]) for k, code in table.items()
                      if code.startswith(root)}
        if root in ("14", "15", "17", "18", "19", "20"):
            words |= {stem(w) for w in cameo.MILITARY_CONTEXT}
    for a in articles:
        for f in a.facts:
            if f["kind"] == "event" and (f["about"] == "main" or ((f.get("value") or {}).get("cameo") or "")[:2]
                                         in roots):
                trig = (f.get("detail") or {}).get("trigger")
                if trig:
                    words |= keywords(trig) | {stem(trig)}
        for act in (a.event or {}).get("actors") or []:
            words |= keywords(act.get("text") or "")
        for p in (a.event or {}).get("where") or []:
            words |= keywords(p.get("name") or "")
    countries = set()
    for a in articles:
        for act in (a.event or {}).get("actors") or []:
            for part in SPLIT_ACTORS.split(act.get("text") or ""):
                k = actor_key(part)
                if k and k[0].startswith("country:"):
                    countries.add(k[0][8:])
    for a in articles:
        for f in a.facts:
            v = f.get("value")
            if f["kind"] == "place" and isinstance(v, dict) and v.get("country") in countries \
                    and v.get("feature") == "city":
                words.add(stem(fold(f["text"])))
    return words


def about_event(text: str, start: int, end: int, words: set[str], dem: dict[str, str]) -> bool:
    s, e = sentence(text, start, end)
    ks = keywords(text[s:e])
    ks |= {stem(dem[w.lower()]) for w in CONTENT_WORD.findall(text[s:e]) if w.lower() in dem}
    return bool(ks & words)
