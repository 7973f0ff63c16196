"""Caption texts of an HTML page, so cleaning knows a repeated caption from repeated content.

trafilatura's text keeps no markup, so the page's tree (the one trafilatura reads, see
:func:`caption_keys_of`) is read here for what its markup says is a caption: ``<figcaption>``, an
image's ``alt`` and ``title``, and elements whose class or itemprop names a caption or a credit.
Only their copy keys are returned (see :func:`crosswire.clean.text.copy_key`); cleaning uses them
to decide which repeats may go, never to remove a single copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree, html

from crosswire.clean.text import copy_key

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses str input that declares one
MAX_CAPTION_CHARS = 1000  # longer "captions" are sections mislabelled by a theme, not captions
_CAPTION_XPATH = (
    "//figcaption | //*[contains(translate(@class,'CAPTION','caption'),'caption')]"
    " | //*[contains(translate(@class,'CREDIT','credit'),'credit')]"
    " | //*[contains(translate(@itemprop,'CAPTION','caption'),'caption')]"
)


def caption_keys(markup: str, normalize: Callable[[str], str] = str) -> frozenset[str]:
    """The copy keys of every caption, image alt/title text and credit in the page.

    ``normalize``: what the page's text goes through before cleaning, applied to each caption too,
    so that its key matches the line's.
    """
    if not markup.strip():
        return frozenset()
    try:
        root = html.document_fromstring(_XML_DECLARATION.sub("", markup))
    except (etree.LxmlError, ValueError):
        return frozenset()
    return caption_keys_of(root, normalize)


def caption_keys_of(root: etree._Element, normalize: Callable[[str], str] = str) -> frozenset[str]:
    """:func:`caption_keys` of a page already parsed (any element of its tree), so that the page is
    parsed once for both its main text and its captions. The tree is only read."""
    root = root.getroottree().getroot()
    texts: list[str] = []
    for el in root.xpath(_CAPTION_XPATH):
        texts.append(el.text_content())
        # a caption block often holds its text and its credit as separate lines (a comment or a
        # processing instruction inside it is no line: lxml cannot take its text_content)
        texts.extend(child.text_content() for child in el if isinstance(child.tag, str))
    for img in root.iter("img"):
        texts.extend(img.get(name) or "" for name in ("alt", "title"))
    keys = set()
    for text in texts:
        text = " ".join(normalize(text).split())
        if text and len(text) <= MAX_CAPTION_CHARS:
            keys.add(copy_key(text))
    return frozenset(keys)
