"""Stage ``clean``: take page boilerplate out of an article's plain text, saying what went and why.

Needs: the body text (Unicode-normalized, title already split off), either paragraphs separated by
blank lines or one paragraph per line (trafilatura's main text). Fills: ``Article.text`` and
``Article.removed``.

Every non-empty line is a paragraph; lines are never rejoined or split. Each paragraph is kept
whole or removed whole, and each removal is recorded in document order as ``Removed(reason, text)``
with a code from :data:`REASONS`. Whitespace is only normalized (line ends stripped, blank lines
dropped): pure whitespace is never recorded.

The rules are lexicons and structural cues that hold across outlets, never one site's strings:

* phrase patterns per reason, each with a word limit (boilerplate is short);
* position: author bios, contributor notes and outlet blurbs are only taken from the lower tail
  (the last 40% of the characters, or the last three paragraphs), unless repeated;
* protection: a paragraph opening with a quotation mark is content (it is only ever removed as
  the second copy of a longer paragraph); a paragraph outside the tail with 25 words or more, or
  with a reporting verb ("said", "told" ...), is never removed by a phrase rule;
* structure: a heading ("About the writer", "Related Topics") takes the bio or link list after it;
  a run of short bullet lines with promotional words is a promo box, its label heading included;
  a short label line (no end punctuation) whose section holds nothing but boilerplate is a
  ``section_label``, so ordinary subheads ("What We Know") that introduce content stay;
* repetition: a paragraph printed again is removed only when its copies are a caption or a page
  block, never repeated content (an interview's repeated question, a recipe's repeated step, spec
  bullets, table rows). Copies are compared case-folded with spaces collapsed and bullets and a
  final full stop ignored. The copies go (one stays) when: the page's markup calls the text a
  caption (``<figcaption>``, image ``alt``/``title``, a caption or credit class: see
  :func:`caption_keys`); it has caption words ("(pictured ...)", "Photo:", "Name/AFP", "In this
  photo"); one copy ends its sentence and another is cut short (a caption or pull quote taken
  from the body: the body's copy stays); or a paragraph of 8 words or more is printed twice in
  a row. A run of 3 or more paragraphs that repeats an earlier run and ends the kept text (only
  removed furniture after it) is a page block printed again; a run repeated inside the text (a
  chorus) stays. List items ("- ", "• ", "1. "), table rows ("| ... |"), short "label: value"
  lines (specs, Q/A turns) and lines under four words are never taken as copies.

Glued lines: when a page's last bullet runs into the next text without a newline
("... app updates on-the-goChina and Belarus ..."), the bullet still reads as a short feature
before the glue point, so it is removed whole with its promo box; what ran into it came after the
end of this article, and the removal record keeps it.
"""

from crosswire.clean.markup import caption_keys
from crosswire.clean.text import PROSE_WORDS, REASONS, STAGE, TAIL_FRACTION, CleanResult, clean_text

__all__ = ["PROSE_WORDS", "REASONS", "STAGE", "TAIL_FRACTION", "CleanResult", "caption_keys", "clean_text"]
