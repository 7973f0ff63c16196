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
* repetition: a paragraph printed again (captions on many sites) keeps its first copy. Copies are
  compared case-folded with spaces collapsed and bullets and a final full stop ignored, so a
  caption repeating a body paragraph without its full stop is a copy too.

Glued lines: when a page's last bullet runs into the next text without a newline
("... app updates on-the-goChina and Belarus ..."), the bullet still reads as a short feature
before the glue point, so it is removed whole with its promo box; what ran into it came after the
end of this article, and the removal record keeps it.
"""

from crosswire.clean.text import PROSE_WORDS, REASONS, STAGE, TAIL_FRACTION, CleanResult, clean_text

__all__ = ["PROSE_WORDS", "REASONS", "STAGE", "TAIL_FRACTION", "CleanResult", "clean_text"]
