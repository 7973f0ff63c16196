"""Text that leaves crosswire for a terminal or a spreadsheet, made harmless.

Article text and metadata come from anyone. A terminal obeys control sequences inside text (an
outlet named ``\\x1b]0;...\\x07`` retitles the window, ``\\x1b]52;c;...`` writes the clipboard), and a
spreadsheet runs a cell that starts like a formula. JSON and HTML outputs stay exact (they escape);
these two helpers are for the rest.
"""

from __future__ import annotations

import re
from typing import Any

# C0 and C1 control characters but tab and line feed, DEL, and the bidirectional overrides that can
# make a line read other than it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# OWASP's CSV injection rule: a cell starting with one of these is read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_text(text: str) -> str:
    """``text`` without control characters (tab and line feed kept), safe to print to a terminal."""
    return _CONTROL.sub("", text)


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with ``= + - @``, a tab or a
    carriage return gets a leading apostrophe (OWASP); numbers and other values are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
