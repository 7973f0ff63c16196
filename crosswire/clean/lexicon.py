"""The lexicons of :mod:`crosswire.clean`: phrase patterns per reason code and the rule table.

Each :class:`Rule` names a reason, a pattern and the conditions under which a paragraph it matches
is boilerplate (a word limit, the lower tail only, a second pattern that must or must not match).
The first rule that applies wins, so the table runs from the most specific notices to the most
general labels. Everything is matched case-insensitively except ``[A-Z]`` (names and outlets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _rx(pattern: str) -> re.Pattern[str]:
    """Case-insensitive, except that ``[A-Z]`` still means a capital (names, outlets, credits)."""
    return re.compile(pattern.replace("[A-Z]", "(?-i:[A-Z])"), re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """One phrase rule: a paragraph it matches, under its conditions, is removed with ``reason``."""

    reason: str
    pattern: re.Pattern[str]
    max_words: int
    tail_only: bool = False  # only in the tail (or when the paragraph is repeated)
    needs: re.Pattern[str] | None = None  # a second pattern that must also match
    prose_guard: bool = True  # skip paragraphs with a reporting verb
    forbid: re.Pattern[str] | None = None  # a pattern that must not match
    hints: tuple[str, ...] = ()  # cheap pre-check: one of these must be in the case-folded text


QUOTE_START = re.compile(r"^[\"“”‘’'«»„‚‹›「『]")
ATTRIBUTION = _rx(
    r"\b(?:said|says|told|tells|added|according\s+to|stated|announced|reported|explained|"
    r"insisted|warned|claimed|argued|testified|advised|noted|recalled|replied|admitted|urged|suggested)\b"
)
BULLET = re.compile(r"^[•·▪●◦‣∙*\-–]\s+")
END_PUNCT = re.compile(r"[.!?:;…\"”’)]$")
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,}(?:,[^—–-]{0,40})?\s*(?:\([\w .]+\)\s*)?[-–—]")
GLUE = re.compile(r"[a-z]{2}(?=[A-Z][a-z])")

_NAME = r"(?:(?:[A-Z][\w.'’-]*|van|von|de|der|den|da|di|del|della|la|le|du|bin|al|el|ibn)\s+){1,5}"
_ORG = r"(?:[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})"
_AGENCY = (
    r"(?:AFP|AP|Getty(?:\s+Images)?|Reuters|EPA(?:-EFE)?|Shutterstock|Alamy|Bloomberg|Xinhua|"
    r"Sputnik|TASS|Anadolu(?:\s+Agency)?|NurPhoto|SOPA\s+Images|ZUMA(?:\s+(?:Press|Wire))?|"
    r"PA(?:\s+(?:Images|Wire|Media))?|Pool|Handout|Courtesy|iStock|Wikimedia\s+Commons|"
    r"LightRocket|Contributor|Photo)"
)
# A line of a list or a table: content whose lines may repeat (recipe steps, spec bullets, rows).
# trafilatura writes list items as "- item" and table rows as "| cell | cell |".
LIST_ITEM = re.compile(r"^(?:[•·▪●◦‣∙*\-–]\s+|\(?\d{1,3}[.)]\s+|\(?[a-z][.)]\s+|\|)")
# "Label: value" lines (specs, ingredients, Q/A turns, scores): content that may repeat in place.
LABEL_VALUE = re.compile(r"^[^\W\d_][\w '’/&()-]{0,30}:\s+\S")
# What marks a line as a photo caption or credit: "(pictured ...)", "Photo: ...", "Name/AFP",
# "AP Photo", "In this photo ...", "file photo", "Getty Images", "©".
CAPTION = _rx(
    r"\(\s*(?:pictured|photo(?:graph)?|picture|image|file|left|right|centre|center|above|below|top|"
    r"bottom|inset|main|from\s+left)\b|\bpictured\b|\bin\s+this\s+(?:\w+\s+){0,2}(?:photo|image|picture|"
    r"handout|file)\b|\b(?:file|handout|stock)\s+(?:photo|image|picture)\b|"
    r"\b(?:photo(?:graph)?|picture|image|credit)s?\s*(?::|by\b|courtesy\b)|©|"
    rf"/\s*{_AGENCY}\b|\b{_AGENCY}\s+(?:photo|images?|via\b)|\bGetty\s+Images\b|"
    r"\b(?:photo|image|picture)\s+(?:released|provided|supplied|taken|shows?)\b"
)
# One of these is in the case-folded text of every line CAPTION matches (a cheap pre-check).
CAPTION_HINTS = ("(", "pictur", "photo", "image", "credit", "©", "/", "via")
# A way to reach the newsroom: what makes "Do you have a story?" or "Tips:" a call for tips.
_TIP_CONTACT = _rx(
    r"[\w.+-]+@[\w-]+\.\w|\b(?:us|we|our)\b|\bnewsroom\b|\bnews\s*desk\b|\bshould\s+be\s+covering\b|"
    r"\b(?:contact|e-?mail|message|call|text|whatsapp|submit)\b"
)
_IMPERATIVE = _rx(
    r"^(?:[•·▪●◦‣∙*\-–]\s+)?(?:enjoy|get|try|start|unlock|sign\s*-?\s*up|sign\s+in|subscribe|join|"
    r"download|become|read|listen|gift|claim|don'?t\s+miss|never\s+miss|register|upgrade|log\s*in|"
    r"discover|explore)\s"
)
_PROMO_NOUN = _rx(
    r"\b(?:newsletters?|alerts|inbox|app|apps|subscriptions?|subscribers?|trial|access|"
    r"members(?:hip)?|member|journalism|digest|briefing|e-?paper|digital\s+edition|premium|ad-free)\b"
)
PROMO_STRONG = _rx(
    r"\bdelivered\s+(?:straight\s+|direct(?:ly)?\s+)?to\s+your\s+(?:door|inbox|phone)|\bad-free\b|"
    r"\bfree\s+trial\b|\bunlimited\s+(?:digital\s+)?access\b|\bcancel\s+any\s*time\b|"
    r"\bsubscribers?[- ]only\b|\bexclusive(?:ly)?\s+(?:for|to)\s+(?:members|subscribers)\b|"
    r"\balready\s+(?:a\s+(?:subscriber|member)|have\s+an\s+account)\b|"
    r"\bbecome\s+a\s+(?:member|subscriber|supporter|patron)\b|"
    r"\bsupport\s+(?:our|independent|quality|local|this|trusted)\s+(?:\w+\s+)?journalism\b|"
    r"\b(?:download|get)\s+(?:our|the)\s+(?:free\s+)?(?:[\w-]+\s+){0,2}app\b|"
    r"\bfree\s+(?:articles?|stories)\s+(?:left|remaining)\b|"
    r"\b(?:reached|used)\s+your\s+(?:\w+\s+)?(?:limit|free\s+articles?)\b|"
    r"\bto\s+continue\s+reading,?\s+(?:please\s+)?(?:subscribe|log\s*in|sign\s*in|register)\b|"
    r"\bplease\s+consider\s+(?:supporting|subscribing|donating|a\s+donation|making\s+a)\b|"
    r"\bby\s+(?:signing\s+up|subscribing|registering)\b.{0,60}\b(?:agree|accept|consent)|"
    r"\bnewsletters?\b.{0,80}\b(?:sign\s*-?up|subscribe|inbox|delivered|register)\b|"
    r"\b(?:sign\s*-?up|subscribe|register)\b.{0,80}\bnewsletters?\b|"
    r"\b(?:get|receive)\s+(?:our|the)\s+(?:free\s+)?(?:[\w-]+\s+){0,3}newsletters?\b"
)
# Bullets of a promo box name product features; these words mark one.
FEATURE = _rx(
    r"\b(?:subscri\w*|newsletters?|ad-free|ads|app|apps|members?(?:hip)?|premium|delivered|inbox|"
    r"alerts|offline|download|unlimited|podcasts?|exclusive|offers?|trial|access|comment\s+on|e-?paper|"
    r"digital\s+edition|"
    r"puzzles|crosswords?|games|audio|events|discounts?|rewards|archive|magazine|print\s+edition)\b"
)
FEATURE_HEADING = _rx(
    r"\b(?:subscri\w*|membership|members|benefits|premium|join|what\s+you\s+get|newsletters?)\b"
)

_SHARE_TOKEN = (
    r"(?:share(?:\s+(?:this|the)(?:\s+(?:article|story|page|post|video|link))?)?"
    r"(?:\s+(?:on|via|to)\s+\w+)?|"
    r"share\s+via|tweet|facebook|twitter|x|linkedin|e-?mail|mail|whatsapp|reddit|pinterest|google\+?|"
    r"pocket|tumblr|flipboard|telegram|messenger|threads|bluesky|like\s+this|like|loading\.*|"
    r"copy(?:\s+(?:the\s+)?(?:link|url))?"
    r"(?:\s+to\s+clipboard)?|link\s+copied|print(?:\s+(?:this\s+)?(?:article|page|story))?|"
    r"(?:view\s+|show\s+)?comments?(?:\s*\(\d+\))?|\d+\s+(?:pending\s+)?comments?|"
    r"save(?:\s+(?:this\s+)?(?:article|story))?|bookmark|gift(?:\s+(?:this\s+)?article)?)"
)

_SLOGAN_WORDS = _rx(
    r"\b(?:journalism|journalists|news|newsroom|reporting|readers?|audiences?|truth|storytelling|"
    r"perspectives|coverage|conventional\s+wisdom|common\s+ground|fact-based|fairness|voices)\b"
)
_BIO_ROLE = (
    r"(?:reporter|writer|journalist|correspondent|editor|columnist|contributor|producer|author|"
    r"analyst|intern|fellow|critic|photographer|presenter|anchor|blogger)s?\b"
)
_BIO_CUE = _rx(
    r"\b(?:based\s+in|at|for|covers?|covering|focus|previously|joined|author\s+of|follow|"
    r"speciali[sz]\w*|read\s+more|has\s+written|writes\s+about)\b|@"
)
_CONTACT = _rx(r"[\w.+-]+@[\w-]+\.\w|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}")  # an e-mail address or phone number
BIO_LINE = _rx(rf"^{_NAME}is\s+(?:an?|the)\s+(?:[\w'’,-]+\s+){{0,6}}?{_BIO_ROLE}")
# A sentence about a journalist in the news is not a bio.
_NEWS_EVENT = _rx(
    r"\b(?:arrested|detained|killed|died|dead|sentenced|charged|jailed|injured|wounded|kidnapped|"
    r"abducted|released|convicted|accused|sued|fired|sacked|missing|shot|expelled|banned|deported)\b"
)
BIO_FOLLOW = _rx(
    r"^(?:follow\s+(?:him|her|them|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})\s+on\s+\w+|"
    r"(?:he|she|they)\s+(?:is|was|has|have|covers|previously|joined|lives|writes|holds|studied)\b)"
    r"|\bread\s+more\s*$"
)
AUTHOR_HEADING = _rx(
    r"^(?:about\s+(?:the\s+)?(?:writers?|authors?|reporters?|journalists?|contributors?|columnists?|"
    r"editors?)|author\s+bio(?:graphy)?|the\s+authors?|meet\s+the\s+(?:authors?|writers?|reporters?))"
    r"\s*:?$"
)
LIST_HEADING = _rx(
    r"^(?:related\s+topics|related(?:\s+(?:stories|articles|links|content|coverage|internet\s+links|"
    r"videos?|news|reading))?|more\s+on\s+this\s+(?:story|topic)|more\s+(?:from|stories\s+from)\s+"
    r"[\w.&'’ -]{1,40}|top\s+stories|most\s+(?:read|popular|viewed|shared)|you\s+(?:may|might)\s+also\s+"
    r"like|recommended(?:\s+(?:for\s+you|stories|reading|articles|videos))?|trending(?:\s+now)?|"
    r"further\s+reading|see\s+also|explore\s+more|topics|tags|latest\s+(?:news|stories|videos)|"
    r"read\s+next|editor'?s\s+picks?|around\s+the\s+web|elsewhere\s+on\s+[\w.]+)\s*:?$"
)

_PERSON = r"(?:[A-Z][\w.'’-]*|van|von|de|der|den|da|di|del|della|la|le|du|bin|al|el|ibn)"
_NAMES = rf"{_PERSON}(?:\s+{_PERSON})*(?:\s*(?:,|and|&)\s*{_PERSON}(?:\s+{_PERSON})*)*"
_CREDIT_PART = (
    r"(?:(?:additional|with\s+additional|additional\s+\w+)\s+)?(?:reporting|writing|editing|edited|"
    r"compiled|graphics|research|produced|translation|translated|fact-checking|reported|written)\s+by\s+"
    rf"{_NAMES}(?:\s+in\s+{_NAMES})?"
)
# Wire credits: "Reporting by A in B; Editing by C and D", names only.
_CREDIT = _rx(rf"^[(\[]?\s*{_CREDIT_PART}(?:\s*[;,.]\s*(?:and\s+)?{_CREDIT_PART})*\s*[.)\]]*\s*$")

RULES: tuple[Rule, ...] = (
    # -- AI notices
    Rule("ai_disclosure", _rx(
        r"(?:\b(?:how|why|when)\s+[\w .&'’-]{1,40}?\s+(?:uses?|used|is\s+using)|\bwe\s+(?:use|used)|"
        r"\bour\s+use\s+of)\s+(?:AI|A\.I\.|artificial\s+intelligence|generative\s+AI)\b"
        r"|\bour\s+(?:AI|artificial\s+intelligence)\s+(?:policy|guidelines|principles|standards)\b"
    ), 60, prose_guard=False, hints=("ai ", "ai,", "ai.", "a.i.", "artificial")),
    Rule("ai_disclosure", _rx(
        r"^(?:this|the)\s+(?:article|story|content|text|summary|report|piece|translation)\s+(?:was|is|"
        r"has\s+been)\s+(?:[\w-]+\s+){0,2}(?:generated|produced|written|created|drafted|summari[sz]ed|"
        r"translated|edited|assisted)\s+(?:[\w-]+\s+){0,4}(?:with|by|using)\s+(?:[\w-]+\s+){0,4}"
        r"(?:AI|A\.I\.|artificial\s+intelligence|an?\s+(?:AI|language\s+model)|machine\s+translation)\b"
    ), 60, prose_guard=False),
    # -- copyright footers (first: they often run on into a credit)
    Rule("site_notice", _rx(
        r"^\(?\s*(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))|\ball\s+rights\s+reserved\b"
    ), 40, hints=("©", "(c)", "copyright", "rights reserved")),
    # -- calls for tips
    Rule("tip_line", _rx(
        r"^(?:do\s+you\s+have|have\s+you\s+got|got)\s+(?:an?\s+)?(?:news\s+)?(?:tips?|story|stories)\b"
    ), 60, needs=_TIP_CONTACT),
    Rule("tip_line", _rx(
        r"^(?:do\s+you\s+)?(?:have|got)\s+(?:an?|any)\s+(?:news\s+)?(?:tips?|story|question|comment|"
        r"feedback)\b.{0,120}(?:[\w.+-]+@[\w-]+\.\w|\bus\b|\bour\b)"
    ), 40),
    Rule("tip_line", _rx(
        r"^(?:send\s+us|share)\s+your\s+(?:news\s+)?(?:story|stories|tips?|pictures|photos|videos|"
        r"experiences?)\b"
    ), 40),
    Rule("tip_line", _rx(
        r"^(?:contact|e-?mail|write\s+to|reach|message)\s+(?:us|the\s+(?:newsroom|news\s*desk|editors?))\b"
    ), 40),
    Rule("tip_line", _rx(r"^tips?\s*[:?]"), 30, needs=_TIP_CONTACT),
    Rule("tip_line", _rx(
        r"\b(?:let\s+us\s+know|get\s+in\s+touch|e-?mail\s+us|contact\s+us|write\s+to\s+us|send\s+us)\b"
        r".{0,120}[\w.+-]+@[\w-]+\.\w"
    ), 50, hints=("@",)),
    Rule("tip_line", _rx(
        r"^if\s+you\s+(?:have|know)\s+(?:a\s+story|information|a\s+tip|anything)\b.{0,160}"
        r"(?:\bcontact\s+us|\be-?mail\s+us|\bget\s+in\s+touch\s+with\s+us|\blet\s+us\s+know|"
        r"[\w.+-]+@[\w-]+\.\w)"
    ), 60),
    # -- wire credits
    Rule("credit_line", _CREDIT, 60, prose_guard=False),
    Rule("credit_line", _rx(r"\bcontributed\s+(?:reporting|to\s+this\s+(?:report|story|article))\b"), 50,
          prose_guard=False, hints=("contributed",)),
    Rule("credit_line", _rx(r"^(?:contributing|information\s+from)\s*:\s*\S"), 20, prose_guard=False),
    Rule("credit_line", _rx(r"\b(?:writers?|reporters?|correspondents?|staff)\b.{0,150}\bcontributed\b"),
          50, tail_only=True, prose_guard=False, hints=("contributed",)),
    # -- writers' bios (headed ones are taken structurally)
    Rule("author_bio", AUTHOR_HEADING, 8, prose_guard=False),
    Rule("author_bio", BIO_LINE, 100, tail_only=True, needs=_BIO_CUE, prose_guard=False,
         forbid=_NEWS_EVENT),
    Rule("author_bio", _rx(rf"^{_NAME}(?:is|was)\s+(?:an?|the)\s+.{{0,200}}\bread\s+more\s*$"), 100,
          prose_guard=False, forbid=_NEWS_EVENT, hints=("read more",)),
    Rule("author_bio", _rx(
        r"^(?:contact\s+the\s+(?:author|writer|reporter)s?\b|to\s+reach\s+[A-Z][\w'’-]*"
        r"|(?:e-?mail|contact)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}\s+at:?\s+[\w.+-]+@"
        r"|e-?mail\s*:\s*[\w.+-]+@"
        r"|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*:\s*(?:[\d()+. -]{7,}|[\w.+-]+@))"
    ), 40, tail_only=True, needs=_CONTACT, prose_guard=False),
    Rule("author_bio", _rx(
        r"^follow\s+(?!us\b)(?:him|her|them|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})\s+on\s+(?:twitter|x|"
        r"instagram|facebook|linkedin|threads|bluesky|mastodon)\b"
    ), 20, tail_only=True),
    # -- the outlet about itself
    Rule("outlet_slogan", _rx(
        rf"^(?:{_ORG}|we|our\s+\w+)\s+(?:is|are)\s+(?:committed|dedicated|devoted)\s+to\b"
    ), 50, tail_only=True, needs=_SLOGAN_WORDS),
    Rule("outlet_slogan", _rx(r"\bour\s+mission\b"), 50, tail_only=True, needs=_SLOGAN_WORDS,
          hints=("mission",)),
    Rule("outlet_slogan", _rx(
        rf"^{_ORG}\s+is\s+(?:an?|the)\s+(?:[\w'’-]+\s+){{0,4}}?(?:independent|nonprofit|non-profit|"
        r"reader-supported|reader-funded|award-winning|nonpartisan|non-partisan)\b.{0,80}"
        r"\b(?:news|newsroom|journalism|publication|outlet|magazine|newspaper|media)\b"
    ), 50, tail_only=True),
    # -- subscription, newsletter and app promotion
    Rule("subscription_promo", _rx(
        r"^(?:subscribe|subscribe\s+(?:now|today|here)|sign\s*-?up|sign\s+in|log\s*in|register|"
        r"already\s+a\s+subscriber\??(?:\s+(?:log|sign)\s*in)?|newsletter|newsletters|"
        r"subscribe\s+to\s+[\w.&'’ -]{1,40})\s*[.!:]?$"
    ), 8),
    Rule("subscription_promo", _rx(
        r"^(?:this\s+(?:article|content|story)\s+is\s+(?:only\s+)?(?:available\s+)?(?:for|to)\s+"
        r"(?:subscribers|members)|subscribers?\s+only)\b"
    ), 30),
    Rule("subscription_promo", PROMO_STRONG, 40, needs=_rx(
        r"\b(?:you|your|our|us|we)\b|^(?:[•·▪●◦‣∙*\-–]\s+)?(?:enjoy|get|try|start|unlock|sign|subscribe|"
        r"join|download|become|support|read|listen|access|save|gift|give|claim|stay|don'?t\s+miss|"
        r"never\s+miss|register|upgrade|log\s*in|go|discover|explore|please|to\s+continue)\b"
    ), hints=("deliver", "ad-free", "trial", "unlimited", "cancel", "only", "exclusive", "already",
              "become", "journalism", "app", "left", "remaining", "limit", "continue reading", "consider",
              "newsletter", "signing up", "subscribing", "registering")),
    Rule("subscription_promo", _IMPERATIVE, 35, needs=_PROMO_NOUN),
    # -- page notices
    Rule("site_notice", _rx(
        r"^(?:advertisement|advertising|ad|ads|sponsored(?:\s+content)?|paid\s+(?:post|content|"
        r"partnership)|promoted(?:\s+content)?|(?:story|article|text|content)\s+continues\s+"
        r"(?:below|after)(?:\s+(?:the\s+|this\s+)?(?:advertisement|ad))?|scroll\s+(?:down\s+)?to\s+"
        r"continue(?:\s+(?:reading|with\s+content))?|skip\s+(?:advertisement|ad)|continue\s+reading\s+"
        r"(?:below|the\s+main\s+story)|advertisement\s*[-–—:]\s*scroll\s+to\s+continue)\s*[.:]?$"
    ), 10),
    Rule("site_notice", _rx(r"\bcookies?\b"), 60, needs=_rx(
        r"\b(?:we|our|this\s+(?:web)?site|accept|consent|privacy|preferences|browsing\s+experience|"
        r"personali[sz]\w*)\b"
    ), hints=("cookie",)),
    Rule("site_notice", _rx(r"^\(?copyright\s+[A-Z][^.!?]*\)?$"), 6),
    Rule("site_notice", _rx(
        r"\b(?:enable|turn\s+on|activate)\s+javascript\b|\bad[- ]?block(?:er|ing)?\b|"
        r"^this\s+(?:news\s+)?(?:report|story|article|coverage|content|feature)\s+(?:is|was)\s+(?:made\s+"
        r"possible|sponsored|brought\s+to\s+you|paid\s+for)\s+by\b"
    ), 30, hints=("javascript", "block", "made possible", "sponsored", "brought to you", "paid for")),
    Rule("site_notice", _rx(
        r"^(?:this\s+(?:article|story|piece|report|content|post)\s+(?:was|is|has\s+been)\s+(?:originally|"
        r"first)\s+(?:published|posted|appeared)|(?:originally|first)\s+(?:published|appeared|posted)\s+"
        r"(?:on|in|by)\s+(?!\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|"
        r"sun)[a-z]*\b)|this\s+(?:article|story|piece)\s+(?:is|was|has\s+been)\s+republished\s+"
        r"(?:from|with)|a\s+version\s+of\s+this\s+(?:article|story|piece|report)\s+(?:first\s+|"
        r"originally\s+)?(?:appeared|was\s+published|ran)|republished\s+with\s+permission)"
    ), 60),
    Rule("site_notice", _rx(
        r"^(?:the\s+)?(?:views?|opinions?)\s+(?:and\s+opinions\s+)?expressed\s+(?:(?:in|on)\s+(?:this|these)\s+"
        r"[\w-]+|here|(?:by|in)\s+(?:the\s+|our\s+)?(?:authors?|writers?|contributors?|columnists?|guests?|"
        r"commentators?|opinion\s+(?:pieces|articles|section))|(?:are|is)\s+(?:those|solely|the\s+author))"
    ), 50),
    Rule("site_notice", _rx(r"^our\s+standards\s*:"), 20),
    Rule("site_notice", _rx(
        r"\bmay\s+not\s+be\s+(?:published|reproduced|broadcast|rewritten|redistributed|copied)\b"
    ), 40, hints=("may not be",)),
    Rule("site_notice", _rx(
        r"^(?:listen\s+to\s+(?:this|the)\s+(?:article|story)\b.{0,30}|\d+\s+min(?:ute)?s?\s+read|"
        r"reading\s+time\s*:?\s*\d+\s+min(?:ute)?s?)$"
    ), 12),
    # -- social buttons
    Rule("share_buttons", _rx(rf"^{_SHARE_TOKEN}(?:\s*[|•·,/:]?\s*{_SHARE_TOKEN})*\s*[.:]?$"), 20),
    Rule("share_buttons", _rx(
        r"^(?:stay\s+up\s+to\s+date,?\s+)?follow\s+(?:us|@\w+|[\w.&'’-]+(?:\s+[\w.&'’-]+){0,3}\s*"
        r"(?::|on\s+"
        r"(?:facebook|twitter|x|instagram|tiktok|youtube|linkedin|threads|bluesky)\b))"
        r"|^(?:find|like|join)\s+us\s+on\s+(?:facebook|twitter|x|instagram|tiktok|youtube|linkedin|threads|"
        r"bluesky|whatsapp|telegram|mastodon|social\s+media)\b|^join\s+the\s+conversation\b"
    ), 15),
    # -- links to other stories
    Rule("read_more", _rx(
        r"^(?:read\s+more|read\s+next|read\s+also|also\s+read|more\s+reading|further\s+reading|related|"
        r"related\s+(?:stories|articles|content|coverage|links|reading|videos?|news)|see\s+also|"
        r"recommended(?:\s+(?:for\s+you|reading|stories|articles|videos))?|continue\s+reading|more|"
        r"most\s+(?:read|popular|viewed|shared)|top\s+stories|trending(?:\s+now)?|you\s+(?:may|might)\s+"
        r"also\s+(?:like|be\s+interested\s+in)|don'?t\s+miss|must\s+read|watch|listen|"
        r"latest\s+(?:news|stories|videos)|editor'?s\s+picks?|explore\s+more|around\s+the\s+web|"
        r"read\s+the\s+(?:full\s+)?(?:story|article|report)(?:\s+here)?|video|videos|"
        r"(?:previous|next)\s+(?:story|article)|watch\s+(?:this|the)\s+(?:story|video|report))"
        r"\s*(?:[:\-–—|>»]|$)"
    ), 30),
    Rule("read_more", _rx(
        r"^for\s+more\s+(?:[\w-]+\s+){0,3}(?:news|stories|coverage|updates|videos?)\b.{0,80}"
        r"\b(?:here|visit|go\s+to|follow|listen|click|download|subscribe|see|read)\b"
    ), 25),
    Rule("read_more", _rx(
        r"^(?:read\s+more|continue\s+reading)(?:\s*[:\-–—|>».]|\s.{0,80}[:>»]$|"
        r"\s+(?:about|on|at|here|from|in|below|stories|"
        r"news|coverage|of\s+(?:our|this)|the\s+main\s+story|this\s+(?:story|article))\b)"
    ), 20),
    Rule("read_more", _rx(r"^click\s+here\b|\bclick\s+here\b[^.]{0,60}[.!]?$"), 25, hints=("click here",)),
    Rule("read_more", _rx(
        r"^(?:follow\s+(?:our|the|all\s+the)\s+(?:latest\s+)?live\s+(?:coverage|updates|blog|reporting|"
        r"news)|follow\s+live|live\s+updates?\s*[:\-–—]|live\s+(?:coverage|blog)\s*[:\-–—]|"
        r"for\s+(?:the\s+)?latest\s+(?:updates|developments|news),?\s+(?:follow|see|visit|read|go\s+to)"
        r"\s+our\s+live)"
    ), 40),
    Rule("read_more", _rx(r"^(?:>>|»|►|▶|→)\s*\S"), 25),
    Rule("read_more", LIST_HEADING, 8, prose_guard=False),
    # -- photo credits standing alone
    Rule("image_credit", _rx(
        r"^(?:photo|photograph|picture|image|credit|image\s+source|photo\s+credit|illustration|"
        r"graphic|main\s+image|top\s+image)s?\s*(?:[:,]|by\b|via\b)\s*\S[^.]{0,80}$"
    ), 12),
    Rule("image_credit", _rx(
        rf"^\(?(?:[A-Z][\w.'’-]*\s+){{0,4}}[A-Z][\w.'’-]*\s*/\s*{_AGENCY}\b[^.]{{0,40}}\)?$"
    ), 12, prose_guard=False),
    Rule("image_credit", _rx(
        rf"^\(?{_AGENCY}(?:\s*(?:via|/)\s*{_AGENCY})*(?:\s+photo)?"
        r"(?:\s*/\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?\)?$"
    ), 10, prose_guard=False),
    # -- navigation and tag labels
    Rule("section_label", _rx(r"^(?:tags?|topics?|filed\s+under|categories|category|keywords)\s*:\s*\S"),
          30, prose_guard=False),
    Rule("section_label", _rx(
        r"^(?:menu|home|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|jump\s+to|sections|search|"
        r"next|previous|prev|view\s+gallery|enlarge\s+this\s+image|toggle\s+caption|hide\s+caption|"
        r"image\s+\d+\s+of\s+\d+|\d+\s*/\s*\d+|"
        r"(?:(?:show|hide|view)\s+(?:full\s+)?(?:transcript|caption|captions|gallery|more|less)\s*)+)$"
    ), 6, prose_guard=False),
)
