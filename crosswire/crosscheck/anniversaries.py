"""Founding dates of international organisations, from reference tables, and the anniversary check.

First source: the package's own table (:mod:`crosswire.crosscheck.data`, one public source per row),
which dates NATO's founding to the day (the North Atlantic Treaty, Washington, 1949-04-04) and each
member's accession ("the 26th anniversary of Poland joining NATO": :func:`membership_check`). Second
source: ``country_converter`` 1.3.2 (IndEcol, GPL-3.0;
https://github.com/IndEcol/country_converter), its shipped ``country_data.tsv``. Three of its
columns give each member's year of accession: ``UN`` (joining the United Nations), ``OECD`` and
``EURO`` (adopting the euro). An organisation's founding year is taken as the earliest accession
year in its column, which is the year of its founding members: the United Nations 1945, the OECD
1961, the euro 1999 (pinned by tests). These are the only organisations the file dates: its EU, G7,
G20, APEC, CoE, IEA, CIS, BRIC and Schengen columns list members without years, and it has no NATO
column. For the EU and every other organisation named in :data:`ORGANISATIONS` with neither a table
row nor a column the check answers "unverifiable" ("no reference data") unless the story itself
dates the founding. The file is read with the csv module: importing country_converter would import
pandas.

The Nth anniversary of a founding known only to the year falls in that year + N: the claim is
consistent when the article is published in that calendar year. For a date known to the day (a date
the story gives) the article must be within 183 days of the anniversary date (152 days for a month).
"next year" / "last year" beside the phrase shift the year (:func:`anniversary_check`'s ``shift``).
"""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from typing import Any

from crosswire.crosscheck import data
from crosswire.crosscheck.calendar import YEAR_DAYS, parse_when
from crosswire.crosscheck.geography import _package_dir

__all__ = ["ORGANISATIONS", "SOURCE", "founding_year", "founding_date", "organisation_key", "organisations_in",
           "anniversary_check", "membership_check"]

SOURCE = "country_converter 1.3.2"

# key -> (label, country_converter column with accession years or None, pattern as written in news)
ORGANISATIONS: dict[str, tuple[str, str | None, str]] = {
    "UN": ("the United Nations", "UN", r"\bUnited\s+Nations\b|\bU\.N\.|\bUN\b"),
    "OECD": ("the OECD", "OECD", r"\bOECD\b|Organi[sz]ation\s+for\s+Economic\s+Co-?operation\s+and\s+Development"),
    "EURO": ("the euro", "EURO", r"\b(?:the\s+)?euro(?:zone|\s+area)?\b(?!\s+\d)"),
    "NATO": ("NATO", None, r"\bNATO\b|North\s+Atlantic\s+(?:Treaty\s+Organi[sz]ation|Alliance)"),
    "EU": ("the European Union", None, r"\bEU\b|\bE\.U\.|European\s+Union"),
    "G7": ("the G7", None, r"\bG-?7\b|Group\s+of\s+Seven"),
    "G20": ("the G20", None, r"\bG-?20\b|Group\s+of\s+(?:Twenty|20)"),
    "APEC": ("APEC", None, r"\bAPEC\b|Asia-Pacific\s+Economic\s+Cooperation"),
    "COE": ("the Council of Europe", None, r"Council\s+of\s+Europe"),
    "ASEAN": ("ASEAN", None, r"\bASEAN\b|Association\s+of\s+Southeast\s+Asian\s+Nations"),
    "AU": ("the African Union", None, r"African\s+Union"),
    "OSCE": ("the OSCE", None, r"\bOSCE\b|Organi[sz]ation\s+for\s+Security\s+and\s+Co-?operation\s+in\s+Europe"),
    "WHO": ("the WHO", None, r"\bWHO\b|World\s+Health\s+Organi[sz]ation"),
    "WTO": ("the WTO", None, r"\bWTO\b|World\s+Trade\s+Organi[sz]ation"),
    "IMF": ("the IMF", None, r"\bIMF\b|International\s+Monetary\s+Fund"),
    "CIS": ("the CIS", None, r"\bCIS\b|Commonwealth\s+of\s+Independent\s+States"),
    "BRICS": ("BRICS", None, r"\bBRICS?\b"),
    "CSTO": ("the CSTO", None, r"\bCSTO\b|Collective\s+Security\s+Treaty\s+Organi[sz]ation"),
    "SCO": ("the SCO", None, r"\bSCO\b|Shanghai\s+Cooperation\s+Organi[sz]ation"),
}
_PATTERNS = {k: re.compile(v[2]) for k, v in ORGANISATIONS.items()}


@lru_cache(maxsize=1)
def _accession_years() -> dict[str, list[int]]:
    """Column -> every accession year listed in country_converter's data (empty if not installed)."""
    base = _package_dir("country_converter")
    if base is None or not (base / "country_data.tsv").exists():
        return {}
    columns = {c for _, c, _ in ORGANISATIONS.values() if c}
    out: dict[str, list[int]] = {c: [] for c in columns}
    with (base / "country_data.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            for c in columns:
                v = (row.get(c) or "").strip()
                if re.fullmatch(r"(?:19|20)\d\d(?:\.0)?", v):
                    out[c].append(int(float(v)))
    return out


def founding_date(key: str) -> data.Row | None:
    """The founding of an organisation dated to the day by the package's table, else None."""
    return data.founding(key)


def _row_source(row: data.Row) -> str:
    return f"{row.note + ', ' if row.note else ''}{data.TABLE.name}; source {row.source.split()[0]}"


def founding_year(key: str) -> int | None:
    """The founding year of an organisation (a key of :data:`ORGANISATIONS`): the package's table,
    else the dataset, else None."""
    row = founding_date(key)
    if row is not None:
        return row.date.year
    entry = ORGANISATIONS.get(key)
    if entry is None or entry[1] is None:
        return None
    years = _accession_years().get(entry[1]) or []
    return min(years) if years else None


def organisation_key(name: str) -> str | None:
    """The key of the organisation a name means ("NATO", "the United Nations", "OECD"), else None."""
    text = name.strip()
    if text.upper() in ORGANISATIONS:
        return text.upper()
    for key, pattern in _PATTERNS.items():
        if pattern.search(text):
            return key
    return None


def organisations_in(text: str) -> list[tuple[str, int, int]]:
    """(key, start, end) of every organisation named in ``text``, in text order."""
    found = [(k, m.start(), m.end()) for k, p in _PATTERNS.items() for m in p.finditer(text)]
    return sorted(found, key=lambda x: x[1])


def _plus_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # February 29
        return d.replace(year=d.year + n, day=28)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def anniversary_check(n: int, organisation_or_date: Any, year: int | str | date, *, shift: int = 0,
                      what: str | None = None, founded: bool = False, source: str = "the story") -> dict[str, Any]:
    """Whether "the ``n``th anniversary" fits an organisation's founding year (from the dataset) or
    a date (ISO/TIMEX value, e.g. one the story gives), for an article of ``year`` (an int, or the
    publication date as a date or ISO string). ``shift``: +1 for "next year's", -1 for "last year's";
    ``what`` names what is dated, ``founded`` says the date is a founding, ``source`` where the date
    comes from."""
    ref = organisation_or_date
    when = parse_when(ref) if isinstance(ref, (str, date)) else None
    label = what or (ref.isoformat() if isinstance(ref, date) else str(ref))
    if when is None:
        key = organisation_key(str(ref))
        label = what or (ORGANISATIONS[key][0] if key else str(ref))
        base = {"claimed": {"ordinal": n, "of": label}, "tolerance": None}
        if key is None:
            return {**base, "verdict": "unverifiable", "computed": None,
                    "detail": f"{label!r} is neither a date nor an organisation with reference data."}
        row = founding_date(key)
        y0 = founding_year(key)
        if row is not None:
            return anniversary_check(n, row.date, year, shift=shift, what=label, founded=True,
                                     source=_row_source(row))
        if y0 is None:
            names = [ORGANISATIONS[k][0] for k, v in ORGANISATIONS.items() if v[1] or founding_date(k)]
            covered = ", ".join(names[:-1]) + " and " + names[-1]
            return {**base, "verdict": "unverifiable", "computed": None,
                    "detail": f"No reference data for the founding of {label}: neither the package's table nor "
                              f"{SOURCE} dates it (they date {covered}), and the story does not date it."}
        when = (date(y0, 1, 1), date(y0, 12, 31), "year")
        source = f"earliest accession year in {SOURCE}"
        founded = True
    first, last, precision = when
    if isinstance(year, int):
        pub: date | None = None
        pub_year = year
    else:
        pub = year if isinstance(year, date) else date.fromisoformat(str(year)[:10])
        pub_year = pub.year
    target_year = pub_year + shift
    if precision == "year" or pub is None:
        expected = target_year - first.year
        ok = n == expected
        tolerance = "the anniversary falls in the publication year" + (" (shifted by 'next/last year')" if shift else "")
        anniversary = str(first.year + n)
    else:
        slack = 183 if precision == "day" else 152
        anchor = _plus_years(pub, shift)
        lo, hi = _plus_years(first, n), _plus_years(last, n)
        gap = (lo - anchor).days if anchor < lo else (anchor - hi).days if anchor > hi else 0
        ok = gap <= slack
        mid = first + (last - first) / 2
        expected = round((anchor - mid).days / YEAR_DAYS)
        tolerance = f"within {slack} days of the anniversary date"
        anniversary = lo.isoformat() if precision == "day" else lo.isoformat()[:7]
    ref_text = first.isoformat() if precision == "day" else first.isoformat()[:7 if precision == "month" else 4]
    on = "on" if precision == "day" else "in"
    head = f"{label[0].upper() + label[1:]} was founded {on} {ref_text}" if founded else f"Date of {label}: {ref_text}"
    detail = (f"{head} ({source}); the {_ordinal(n)} anniversary is {'in ' if len(anniversary) == 4 else ''}"
              f"{anniversary}" + (f", which fits an article of {pub or pub_year}." if ok else
                                  f", but the article is of {pub or pub_year}: that is the {_ordinal(expected)}."))
    return {"verdict": "consistent" if ok else "inconsistent",
            "claimed": {"ordinal": n, "of": label},
            "computed": {"ordinal": expected, "reference": ref_text, "anniversary": anniversary, "source": source},
            "tolerance": tolerance, "detail": detail}


def membership_check(n: int, organisation: str, member: str, member_name: str, year: int | str | date, *,
                     shift: int = 0) -> dict[str, Any]:
    """Whether "the ``n``th anniversary of ``member_name`` joining ``organisation``" fits the accession
    date in the package's table (``member`` an ISO alpha-2 code) for an article of ``year``."""
    label = f"{member_name} joining {ORGANISATIONS[organisation][0] if organisation in ORGANISATIONS else organisation}"
    row = data.accession(organisation, member)
    if row is None:
        listed = data.members(organisation)
        why = (f"the table lists {len(listed)} members of {organisation} and {member_name} is not one of them"
               if listed else f"the table has no members of {organisation}")
        return {"verdict": "unverifiable", "claimed": {"ordinal": n, "of": label}, "computed": None,
                "tolerance": None, "detail": f"No accession date for {label}: {why} ({data.TABLE.name})."}
    r = anniversary_check(n, row.date, year, shift=shift, what=label, source=_row_source(row))
    r["detail"] = r["detail"].replace(f"Date of {label}:", f"{member_name} joined {organisation} on", 1)
    return r
