"""The passes of :mod:`crosswire.clean`: paragraphs, phrase rules, structure, repetition, labels."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from crosswire.models import Removed
from crosswire.clean.lexicon import (
    ATTRIBUTION,
    AUTHOR_HEADING,
    BIO_FOLLOW,
    BIO_LINE,
    BULLET,
    CAPTION,
    CAPTION_HINTS,
    DATELINE,
    END_PUNCT,
    FEATURE,
    FEATURE_HEADING,
    GLUE,
    LIST_HEADING,
    LIST_ITEM,
    LABEL_VALUE,
    PROMO_STRONG,
    QUOTE_START,
    RULES,
)

STAGE = "clean.v1"

REASONS: dict[str, str] = {
    "duplicate_line": (
        "a caption or block printed again (a photo caption, a caption or pull quote repeating a body "
        "sentence, a paragraph doubled in place, a repeated run of paragraphs); one copy stays"
    ),
    "subscription_promo": "subscribe / newsletter / app / paywall calls and promo feature boxes",
    "author_bio": "an 'About the author' heading, a writer's bio or contributor note at the end",
    "tip_line": "a call for tips or stories, usually with an e-mail address",
    "share_buttons": "share, social, print and comment button labels",
    "read_more": "links to other stories: READ MORE, Related, See also, link lists, live-blog links",
    "ai_disclosure": "a note on how the outlet uses AI",
    "site_notice": "ads, cookie notices, copyright footers, syndication and opinion disclaimers",
    "outlet_slogan": "a standing blurb in which the outlet describes itself or its mission",
    "section_label": "a navigation or tag label, or a label heading nothing but boilerplate",
    "image_credit": "a line that is only a photo or image credit",
    "credit_line": "a wire credit such as 'Reporting by ...; Editing by ...'",
}

TAIL_FRACTION = 0.6  # paragraphs starting after this share of the characters are in the tail
PROSE_WORDS = 25  # outside the tail, a paragraph this long is content
RULE_MAX_CHARS = 2000  # boilerplate is short: a longer paragraph is never matched by a phrase rule
DOUBLED_MIN_WORDS = 8  # a paragraph printed twice in a row is a doubled caption from this length
BLOCK_MIN_LINES = 3  # a run of this many paragraphs printed again at the end is a repeated page block


@dataclass
class CleanResult:
    """The clean body (paragraphs joined by blank lines) and what was removed, in document order."""

    text: str
    removed: list[Removed] = field(default_factory=list)


# Reasons that make a block boilerplate for a label heading it (not inline ads or credits).
_BLOCK_REASONS = frozenset(
    {"subscription_promo", "outlet_slogan", "tip_line", "author_bio", "read_more", "ai_disclosure",
     "credit_line"}
)
# Page furniture: it makes a label boilerplate only at the very end (ads also sit between a subhead
# and its paragraphs).
_PAGE_REASONS = frozenset({"site_notice", "share_buttons", "section_label"})


@dataclass
class _Para:
    text: str
    words: int
    key: str
    tail: bool
    quoted: bool
    reason: str | None = None


def copy_key(line: str) -> str:
    """What two copies of a paragraph share: case-folded, spaces collapsed, no bullet or full stop."""
    line = BULLET.sub("", line)
    return " ".join(line.split()).casefold().rstrip(" .…")


def _is_label(p: _Para) -> bool:
    """A short heading-like line: few words, no sentence punctuation, not a quote or dateline."""
    return (
        p.words <= 6
        and any(c.isalpha() for c in p.text)
        and not p.quoted
        and not END_PUNCT.search(p.text)
        and not BULLET.match(p.text)
        and not p.text.startswith("|")  # a table row
        and not DATELINE.match(p.text)
    )


def _match_rules(p: _Para, repeated: bool) -> str | None:
    """The reason of the first phrase rule that applies to the paragraph, or None."""
    if p.quoted or len(p.text) > RULE_MAX_CHARS:  # bounded regex work per paragraph
        return None
    attributed: bool | None = None
    low = p.text.casefold()
    for rule in RULES:
        if p.words > rule.max_words or (rule.tail_only and not (p.tail or repeated)):
            continue
        if rule.hints and not any(h in low for h in rule.hints):
            continue
        if not rule.pattern.search(p.text):
            continue
        if rule.needs is not None and not rule.needs.search(p.text):
            continue
        if rule.forbid is not None and rule.forbid.search(p.text):
            continue
        if rule.prose_guard:
            if attributed is None:
                attributed = bool(ATTRIBUTION.search(p.text))
            if attributed:
                continue
        return rule.reason
    return None


def _take_author_blocks(paras: list[_Para]) -> None:
    """After an 'About the writer' heading: the next paragraph, and bio-like ones after it."""
    for i, p in enumerate(paras):
        if p.reason != "author_bio" or not AUTHOR_HEADING.match(p.text):
            continue
        for j in range(i + 1, min(i + 4, len(paras))):
            q = paras[j]
            if q.reason is not None and q.reason != "author_bio":
                break
            first = j == i + 1
            if q.quoted or q.words > (150 if first else 100):
                break
            if not first and not (BIO_LINE.match(q.text) or BIO_FOLLOW.search(q.text)):
                break
            q.reason = "author_bio"


def _take_link_lists(paras: list[_Para]) -> None:
    """After a link-list heading ('Related Topics', 'More on this story'): its short items."""
    for i, p in enumerate(paras):
        if p.reason != "read_more" or not LIST_HEADING.match(p.text):
            continue
        for q in paras[i + 1 : i + 13]:
            if q.reason is not None:
                break
            if (q.quoted or q.words > 15 or q.text.endswith(".") or DATELINE.match(q.text)
                    or ATTRIBUTION.search(q.text)):
                break
            q.reason = "read_more"


def _feature_words(line: str) -> int:
    """Words of a bullet up to a glue point where the next text ran into it ('on-the-goChina')."""
    body = BULLET.sub("", line)
    m = GLUE.search(body)
    if m and len(body[m.end():].split()) >= 8:
        body = body[: m.end()]
    return len(body.split())


def _take_promo_boxes(paras: list[_Para]) -> None:
    """A run of short bullet lines naming product features is a promo box, with its label heading."""
    i = 0
    while i < len(paras):
        if not BULLET.match(paras[i].text):
            i += 1
            continue
        j = i
        while j < len(paras) and BULLET.match(paras[j].text):
            j += 1
        run = paras[i:j]
        heading = paras[i - 1] if i > 0 and _is_label(paras[i - 1]) else None
        hits = sum(1 for q in run if FEATURE.search(q.text) or PROMO_STRONG.search(q.text))
        short = sum(1 for q in run if _feature_words(q.text) <= 12 and not q.text.endswith("."))
        # a sales phrase in the box ("ad-free", "delivered to your door") or a sales heading
        selling = any(PROMO_STRONG.search(q.text) for q in run) or (
            heading is not None
            and (heading.reason == "subscription_promo" or bool(FEATURE_HEADING.search(heading.text)))
        )
        clean_run = not any(q.quoted or ATTRIBUTION.search(q.text) for q in run)
        if clean_run and selling and hits and short >= 0.6 * len(run):
            for q in run:
                q.reason = q.reason or "subscription_promo"
            if heading is not None and heading.reason is None:
                heading.reason = "subscription_promo"
        i = j


def _may_repeat(p: _Para) -> bool:
    """Paragraphs a copy rule never takes: short lines, short quotes, list items and table rows."""
    return (
        p.words < 4
        or not any(c.isalpha() for c in p.key)
        or (p.quoted and p.words < 6)
        or bool(LIST_ITEM.match(p.text))
    )


def _is_item(p: _Para) -> bool:
    """A short 'label: value' line (a spec, an ingredient, a Q/A turn): content that repeats."""
    return p.words <= 12 and bool(LABEL_VALUE.match(p.text))


def _mark_end_blocks(paras: list[_Para]) -> None:
    """A run of BLOCK_MIN_LINES or more paragraphs that ends the kept text and repeats an earlier run.

    A teaser or link block printed again at the end of the page, with nothing but removed furniture
    after it; a run repeated inside the text (a chorus, a refrain) is content. One linear pass from
    the end per block found.
    """
    seen: dict[str, list[int]] = {}
    for i, p in enumerate(paras):
        seen.setdefault(p.key, []).append(i)
    tail = len(paras)
    while True:
        while tail > 0 and paras[tail - 1].reason is not None:
            tail -= 1
        last = tail - 1
        if last < 0 or _may_repeat(paras[last]) or _is_item(paras[last]):
            return
        best = 0
        copies = seen[paras[last].key]
        nearest = bisect_left(copies, last)
        for j in copies[max(0, nearest - 3) : nearest]:  # the nearest earlier copies
            m = 0
            while (last - m > j and j - m >= 0 and not _may_repeat(paras[last - m])
                   and not _is_item(paras[last - m]) and paras[last - m].reason is None
                   and paras[last - m].key == paras[j - m].key):
                m += 1
            best = max(best, m)
        if best < BLOCK_MIN_LINES:
            return
        for q in paras[last - best + 1 : last + 1]:
            q.reason = "duplicate_line"
        tail = last - best + 1


def _has_caption_words(text: str) -> bool:
    low = text.casefold()
    return any(h in low for h in CAPTION_HINTS) and bool(CAPTION.search(text))


def _is_furniture(paras: list[_Para], copies: list[int], captions: frozenset[str]) -> bool:
    """Whether the copies of one paragraph are a caption or page block, not repeated content.

    Content repeats too (an interview's question, a chorus, a step): only these cues make a copy
    furniture: caption markup or caption words, a copy cut short of the sentence end another copy
    has (a caption or pull quote taken from the body), or a long paragraph doubled in place. Runs
    of paragraphs printed again are :func:`_mark_end_blocks`'.
    """
    first = paras[copies[0]]
    if first.key in captions or any(_has_caption_words(paras[i].text) for i in copies):
        return True
    ends = {paras[i].text.rstrip()[-1:] in ".!?…" for i in copies}
    if len(ends) == 2:
        return True
    return (
        not _is_item(first)
        and first.words >= DOUBLED_MIN_WORDS
        and any(b - a == 1 for a, b in zip(copies, copies[1:]))
    )


def _mark_duplicates(paras: list[_Para], captions: frozenset[str]) -> None:
    """Extra copies of a repeated caption or page block; repeated content is left alone.

    The copy that stays is the first one ending a sentence (the body's, when a caption repeats a
    body paragraph without its full stop), else the first.
    """
    groups: dict[str, list[int]] = {}
    for i, p in enumerate(paras):
        if not _may_repeat(p):
            groups.setdefault(p.key, []).append(i)
    for copies in groups.values():
        if len(copies) < 2 or not _is_furniture(paras, copies, captions):
            continue
        ended = [i for i in copies if paras[i].text.rstrip()[-1:] in ".!?…"]
        keep = ended[0] if ended else copies[0]
        for i in copies:
            if i != keep and paras[i].reason is None:
                paras[i].reason = "duplicate_line"


def _mark_labels(paras: list[_Para]) -> None:
    """A label whose section, up to the next label or the end, holds only boilerplate.

    One pass from the end: ``following`` is the nearest later paragraph still kept and ``run`` the
    reasons of the removed ones before it, updated as labels are marked (linear, no list copies).
    """
    following: _Para | None = None
    run: set[str] = set()
    for i in range(len(paras) - 1, -1, -1):
        p = paras[i]
        if p.reason is None and _is_label(p):
            introduces = following is not None and not _is_label(following)
            if not introduces and (run & _BLOCK_REASONS or (following is None and run & _PAGE_REASONS)):
                p.reason = "section_label"
        if p.reason is None:
            following, run = p, set()
        else:
            run.add(p.reason)


def _paragraphs(text: str) -> list[_Para]:
    """Every non-empty line, stripped, with its word count, copy key and place (tail or not)."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    total = sum(len(line) for line in lines) or 1
    paras: list[_Para] = []
    before = 0
    n = len(lines)
    for idx, line in enumerate(lines):
        tail = before / total >= TAIL_FRACTION or idx >= n - 3
        paras.append(_Para(line, len(line.split()), copy_key(line), tail, bool(QUOTE_START.match(line))))
        before += len(line)
    return paras


def clean_text(text: str, captions: frozenset[str] = frozenset()) -> CleanResult:
    """Remove boilerplate paragraphs from plain article text; record each with a reason code.

    ``captions``: the page's caption texts when it came from markup (see :func:`caption_keys`), so a
    repeated caption is known as one without caption words.
    """
    paras = _paragraphs(text)
    counts: dict[str, int] = {}
    for p in paras:
        counts[p.key] = counts.get(p.key, 0) + 1
    for p in paras:
        # outside the tail, a long paragraph is content: no phrase rule applies to it
        if p.tail or p.words < PROSE_WORDS:
            p.reason = _match_rules(p, repeated=counts[p.key] > 1 and p.words >= 4)
    _take_author_blocks(paras)
    _take_link_lists(paras)
    _take_promo_boxes(paras)
    _mark_duplicates(paras, captions)
    _mark_end_blocks(paras)
    _mark_labels(paras)
    kept = [p.text for p in paras if p.reason is None]
    removed = [Removed(p.reason, p.text) for p in paras if p.reason is not None]
    return CleanResult("\n\n".join(kept), removed)

