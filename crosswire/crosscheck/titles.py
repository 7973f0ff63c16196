"""People's titles compared: the same title in other words, different facets of one person
("Rear Admiral" and "commander of the fleet"), or two offices that conflict ("Prime Minister" and
"President")."""

from __future__ import annotations

import re

from crosswire.crosscheck.quotes import _demonyms, fold


OFFICES = {"president", "minister", "premier", "chancellor", "governor", "mayor", "king", "queen", "prince",
           "secretary", "ambassador", "envoy", "commander", "chief", "director", "head", "chairman",
           "chairwoman", "chair", "spokesman", "spokeswoman", "spokesperson", "senator", "congressman",
           "congresswoman", "judge", "prosecutor", "sheriff", "ceo", "founder", "leader", "speaker", "deputy",
           "attorney", "commissioner", "superintendent", "inspector", "officer", "coach", "bishop", "pope"}
# roles one member of a police or fire service holds at once (an officer who is its spokesman)
_SERVICE_ROLES = {"officer", "spokesman", "spokeswoman", "spokesperson", "inspector", "deputy", "sergeant",
                  "detective", "trooper", "agent", "investigator"}
RANKS = {"general", "colonel", "major", "captain", "lieutenant", "sergeant", "admiral", "marshal", "corporal",
         "private", "brigadier", "commodore"}
_COMPOUND = [("prime minister", "prime_minister"), ("vice president", "vice_president"),
             ("major general", "major_general"), ("lieutenant general", "lieutenant_general"),
             ("brigadier general", "brigadier_general"), ("lieutenant colonel", "lieutenant_colonel"),
             ("foreign minister", "foreign_minister"), ("defence minister", "defense_minister"),
             ("defense minister", "defense_minister"), ("interior minister", "interior_minister"),
             ("finance minister", "finance_minister"), ("secretary general", "secretary_general"),
             ("secretary-general", "secretary_general"), ("chief executive", "ceo"),
             ("minister of defence", "defense_minister"), ("minister of defense", "defense_minister"),
             ("minister of foreign affairs", "foreign_minister"), ("minister of finance", "finance_minister")]
_TITLE_STOP = frozenset("of the for and a an in at to on by with who which is was s".split())


_AFFILIATION = re.compile(r"^(?:with|of|for|from|at)\s", re.I)


def title_tokens(title: str) -> set[str]:
    """Words of a title, folded: demonyms as countries, compound offices joined."""
    t = fold(title)
    for phrase, joined in _COMPOUND:
        t = t.replace(phrase, joined)
    dem = _demonyms()
    out = set()
    for w in re.findall(r"[a-z_]+(?:'[a-z]+)?", t):
        w = re.sub(r"'s?$", "", w)
        w = dem.get(w, w)
        if w and w not in _TITLE_STOP:
            out.add(w.replace(" ", "_"))
    return out


def _offices(tokens: set[str]) -> set[str]:
    return {t for t in tokens if t in OFFICES or "_" in t and t.split("_")[-1] in OFFICES}


def _ranks(tokens: set[str]) -> set[str]:
    """Military ranks of a title ("major_general"), a rank joined with its grade."""
    return {t for t in tokens if t in RANKS or "_" in t and t.split("_")[-1] in RANKS}


def compare_titles(a: str, b: str) -> str:
    """``same`` (one title's words inside the other's, part by part), ``compatible`` (different
    facets: a rank and an office), or ``conflict`` (two ranks, or two offices, that differ:
    "Prime Minister" vs "President"); a former office never conflicts."""
    if _AFFILIATION.match(a.strip()) or _AFFILIATION.match(b.strip()):
        return "compatible"  # "Deputy" and "with the Dearborn County Sheriff's Office": where, not what
    parts_a = [title_tokens(p) for p in re.split(r"[;,]| and ", a) if p.strip()]
    parts_b = [title_tokens(p) for p in re.split(r"[;,]| and ", b) if p.strip()]
    parts_a, parts_b = [p for p in parts_a if p], [p for p in parts_b if p]
    if not parts_a or not parts_b:
        return "compatible"
    all_a, all_b = set().union(*parts_a), set().union(*parts_b)
    if all(any(p <= q for q in parts_b) for p in parts_a) or all(any(q <= p for p in parts_a) for q in parts_b):
        return "same"
    if any(p <= all_b or (_offices(p) and _offices(p) <= all_b and len(p & all_b) >= 0.6 * len(p))
           for p in parts_a):
        return "same"
    if "former" in all_a or "former" in all_b or "ex" in all_a or "ex" in all_b:
        return "compatible"
    ra, rb = _ranks(all_a), _ranks(all_b)
    if ra and rb and not (ra & rb):
        return "conflict"  # a rank is one: "Major General" and "Colonel"
    oa, ob = _offices(all_a), _offices(all_b)
    if oa and ob and not (oa & ob) and (oa | ob) <= _SERVICE_ROLES:
        return "compatible"  # "Officer" and "police spokeswoman": one officer may speak for the force
    if oa and ob and not (oa & ob):
        base = {o.split("_")[-1] for o in oa} & {o.split("_")[-1] for o in ob}
        if not base or ({"minister"} == base and oa != ob):
            return "conflict"
    return "compatible"


def merge_titles(a: str, b: str) -> str | None:
    return None if compare_titles(a, b) == "conflict" else (a if len(a) >= len(b) else b)
