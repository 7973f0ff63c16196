"""CAMEO event codes, the trigger lexicon that finds them in news text, and their ACLED event types.

Codes and labels follow the CAMEO codebook: P. A. Schrodt, "CAMEO Conflict and Mediation Event
Observations Event and Actor Codebook", Version 1.1b3, Event Data Project, Pennsylvania State
University, March 2012, as GDELT 2.0 ships them (``CAMEO.eventcodes.txt``; the codebook's contents
page calls roots 15 and 20 "Exhibit military posture" and "Engage in unconventional mass violence").
All 20 root codes are here with the second- and third-level codes news reports use most, as
zero-padded strings ("057", "1823"); military cooperation is 062 (061 is economic). ``quad_class``
is GDELT's QuadClass: 1 verbal cooperation (01-05), 2 material cooperation (06-08), 3 verbal
conflict (09-13), 4 material conflict (14-20).

ACLED types follow the ACLED Codebook (2023): Battles, Explosions/Remote violence, Violence against
civilians, Protests, Riots, Strategic developments, each with a sub-event type. A CAMEO code maps
to one where ACLED records that kind of event, else to None (statements, meetings, accusations...).
Military exercises, mobilisation and deployments are "Strategic developments / Change to
group/activity". Some triggers refine the sub-type ("missile strike" is a shelling/artillery/missile
attack) through :data:`ACLED_BY_TRIGGER`; violence against armed forces is a battle.

Events news reports that CAMEO does not code (industrial accidents, fires, crashes, natural
disasters) have ``cameo=None`` and a label of their own ("accident: explosion", "disaster: flood").

The lexicon: :data:`VERBS` maps a verb lemma, optionally followed by words that must stand beside
it in the parse ("open fire", "take street", "stab death", "blow up"), to a code; :data:`NOUNS` maps
an event noun, optionally preceded by modifiers it must carry ("air strike", "hunger strike"), to a
code. :data:`LIGHT_VERBS` hold an event noun as their object ("hold drills", "stage an exercise");
:data:`OCCURRENCE_VERBS` take one as their subject ("drills are taking place", "a blast rocked").
:func:`resolve` applies the context rules: :data:`AMBIGUOUS` triggers ("strike", "march") read by
cue words, :data:`MILITARY_CONTEXT` ones ("exercise", "training") only beside armed forces,
accidents only with their :data:`CONTEXT_REQUIRED` words, an explosion a bombing after
:data:`ATTACK_CUES`. :data:`FORMS` knows the inflections (spaCy's small model lemmatises "staged"
as "stag").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.strings import hash_string

__all__ = ["Kind", "CODES", "OWN_KINDS", "ACLED", "ACLED_BY_TRIGGER", "kind", "quad_class", "acled_for",
           "VERBS", "NOUNS", "LIGHT_VERBS", "OCCURRENCE_VERBS", "MILITARY_CONTEXT", "AMBIGUOUS",
           "CONTEXT_REQUIRED", "ATTACK_CUES", "NOT_EVENT_MODIFIERS", "ARMED", "NEGATING", "FUTURE",
           "PLANNED", "MODALS", "PARTITIVE", "HARM", "verb_forms", "VERB_INDEX", "NOUN_INDEX", "FORMS",
           "TRIGGER_FORMS", "ARMED_H", "resolve"]

# ---------------------------------------------------------------- the code table (codebook 1.1b3)
_TABLE = """
01 Make public statement | 010 Make statement, not specified below | 011 Decline comment
012 Make pessimistic comment | 013 Make optimistic comment | 015 Acknowledge or claim responsibility
016 Deny responsibility | 018 Make empathetic comment | 019 Express accord
02 Appeal | 020 Appeal, not specified below | 023 Appeal for aid, not specified below
026 Appeal to others to meet or negotiate
03 Express intent to cooperate | 030 Express intent to cooperate, not specified below
031 Express intent to engage in material cooperation, not specified below
036 Express intent to meet or negotiate | 037 Express intent to settle dispute
04 Consult | 040 Consult, not specified below | 041 Discuss by telephone | 042 Make a visit
043 Host a visit | 044 Meet at a 'third' location | 045 Mediate | 046 Engage in negotiation
05 Engage in diplomatic cooperation | 050 Engage in diplomatic cooperation, not specified below
051 Praise or endorse | 052 Defend verbally | 054 Grant diplomatic recognition | 055 Apologize
057 Sign formal agreement
06 Engage in material cooperation | 060 Engage in material cooperation, not specified below
061 Cooperate economically | 062 Cooperate militarily | 064 Share intelligence or information
07 Provide aid | 070 Provide aid, not specified below | 071 Provide economic aid
072 Provide military aid | 073 Provide humanitarian aid | 075 Grant asylum
08 Yield | 080 Yield, not specified below | 0841 Return, release person(s)
085 Ease economic sanctions, boycott, embargo | 0871 Declare truce, ceasefire
0874 Retreat or surrender militarily
09 Investigate | 090 Investigate, not specified below | 091 Investigate crime, corruption
10 Demand | 100 Demand, not specified below | 1011 Demand economic cooperation
1053 Demand release of persons or property
11 Disapprove | 110 Disapprove, not specified below | 111 Criticize or denounce
112 Accuse, not specified below | 1121 Accuse of crime, corruption | 1123 Accuse of aggression
1125 Accuse of espionage, treason | 115 Bring lawsuit against | 116 Find guilty or liable (legally)
12 Reject | 120 Reject, not specified below | 125 Reject proposal to meet, discuss, or negotiate
129 Veto
13 Threaten | 130 Threaten, not specified below
138 Threaten to use military force, not specified below | 139 Give ultimatum
14 Protest | 140 Engage in political dissent, not specified below
141 Demonstrate or rally, not specified below | 142 Conduct hunger strike, not specified below
143 Conduct strike or boycott, not specified below
144 Obstruct passage, block, not specified below | 145 Protest violently, riot, not specified below
15 Exhibit force posture | 150 Demonstrate military or police power, not specified below
151 Increase police alert status | 152 Increase military alert status
153 Mobilize or increase police power | 154 Mobilize or increase armed forces
155 Mobilize or increase cyber-forces
16 Reduce relations | 160 Reduce relations, not specified below
161 Reduce or break diplomatic relations | 163 Impose embargo, boycott, or sanctions
164 Halt negotiations | 166 Expel or withdraw, not specified below
17 Coerce | 170 Coerce, not specified below | 171 Seize or damage property, not specified below
1711 Confiscate property | 1712 Destroy property | 1723 Impose curfew
1724 Impose state of emergency or martial law | 173 Arrest, detain, or charge with legal action
174 Expel or deport individuals | 175 Use tactics of violent repression | 176 Attack cybernetically
18 Assault | 180 Use unconventional violence, not specified below
181 Abduct, hijack, or take hostage | 182 Physically assault, not specified below
1821 Sexually assault | 1822 Torture | 1823 Kill by physical assault
183 Conduct suicide, car, or other non-military bombing, not specified below
1831 Carry out suicide bombing | 1832 Carry out vehicular bombing | 1833 Carry out roadside bombing
185 Attempt to assassinate | 186 Assassinate
19 Fight | 190 Use conventional military force, not specified below
191 Impose blockade, restrict movement | 192 Occupy territory
193 Fight with small arms and light weapons | 194 Fight with artillery and tanks
195 Employ aerial weapons, not specified below | 1952 Employ remotely piloted aerial munitions
196 Violate ceasefire
20 Use unconventional mass violence | 200 Use unconventional mass violence, not specified below
201 Engage in mass expulsion | 202 Engage in mass killings | 203 Engage in ethnic cleansing
2041 Use chemical, biological, or radiological weapons | 2042 Detonate nuclear weapons
"""
CODES: dict[str, str] = dict(e.strip().split(" ", 1) for line in _TABLE.strip().splitlines()
                             for e in line.split(" | "))

# Events CAMEO leaves out; ``rank`` places them among the CAMEO roots when choosing a main event.
OWN_KINDS: dict[str, tuple[str, int]] = {
    "accident:explosion": ("accident: explosion", 8), "accident:fire": ("accident: fire", 8),
    "accident:crash": ("accident: crash", 8), "accident:collapse": ("accident: collapse", 8),
    "accident:leak": ("accident: leak or spill", 7), "disaster:earthquake": ("disaster: earthquake", 8),
    "disaster:flood": ("disaster: flood", 8), "disaster:storm": ("disaster: storm", 8),
    "disaster:wildfire": ("disaster: wildfire", 8), "disaster:landslide": ("disaster: landslide", 8),
    "disaster:eruption": ("disaster: volcanic eruption", 8), "disaster:tsunami": ("disaster: tsunami", 8),
    "health:outbreak": ("health: disease outbreak", 6),
}
# How newsworthy a root is as an article's main event: material conflict first, statements last.
_ROOT_RANK = {"20": 10, "19": 9, "18": 9, "15": 8, "17": 7, "14": 7, "16": 6, "13": 5, "08": 5,
              "07": 5, "06": 5, "05": 5, "04": 4, "12": 4, "11": 3, "10": 3, "09": 3, "03": 2,
              "02": 2, "01": 1}


@dataclass(frozen=True)
class Kind:
    """One event kind: a CAMEO code (or None) with its label, root, rank and ACLED type."""

    key: str
    cameo: str | None
    label: str
    root: str | None
    rank: int
    acled: str | None
    acled_sub: str | None


def quad_class(code: str | None) -> int | None:
    """GDELT's QuadClass (1-4) of a CAMEO code, None for a non-CAMEO kind."""
    if not code or not code.isdigit():
        return None
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


@lru_cache(maxsize=None)
def kind(key: str) -> Kind:
    """The :class:`Kind` of a CAMEO code ("057") or an own key ("accident:fire")."""
    if key in OWN_KINDS:
        label, rank = OWN_KINDS[key]
        return Kind(key, None, label, None, rank, None, None)
    if key not in CODES:
        raise KeyError(f"unknown CAMEO code {key!r}: add it to crosswire.extract.events.cameo._TABLE")
    acled = acled_for(key)
    return Kind(key, key, CODES[key], key[:2], _ROOT_RANK[key[:2]], *(acled or (None, None)))


# ---------------------------------------------------------------- ACLED (codebook 2023)
_SD, _VAC, _EXP = "Strategic developments", "Violence against civilians", "Explosions/Remote violence"
ACLED: dict[str, tuple[str, str]] = {
    "057": (_SD, "Agreement"), "0871": (_SD, "Agreement"), "0841": (_SD, "Other"),
    "140": ("Protests", "Peaceful protest"), "141": ("Protests", "Peaceful protest"),
    "142": ("Protests", "Peaceful protest"), "143": ("Protests", "Peaceful protest"),
    "144": ("Protests", "Peaceful protest"), "145": ("Riots", "Violent demonstration"),
    "150": (_SD, "Change to group/activity"), "151": (_SD, "Change to group/activity"),
    "152": (_SD, "Change to group/activity"), "153": (_SD, "Change to group/activity"),
    "154": (_SD, "Change to group/activity"), "155": (_SD, "Change to group/activity"),
    "171": (_SD, "Looting/property destruction"), "1711": (_SD, "Looting/property destruction"),
    "1712": (_SD, "Looting/property destruction"), "173": (_SD, "Arrests"),
    "175": ("Protests", "Excessive force against protesters"),
    "180": (_VAC, "Attack"), "181": (_VAC, "Abduction/forced disappearance"), "182": (_VAC, "Attack"),
    "1821": (_VAC, "Sexual violence"), "1822": (_VAC, "Attack"), "1823": (_VAC, "Attack"),
    "183": (_EXP, "Remote explosive/landmine/IED"), "1831": (_EXP, "Suicide bomb"),
    "1832": (_EXP, "Remote explosive/landmine/IED"), "1833": (_EXP, "Remote explosive/landmine/IED"),
    "185": (_VAC, "Attack"), "186": (_VAC, "Attack"),
    "190": ("Battles", "Armed clash"), "192": ("Battles", "Armed clash"), "193": (_VAC, "Attack"),
    "194": (_EXP, "Shelling/artillery/missile attack"), "195": (_EXP, "Air/drone strike"),
    "1952": (_EXP, "Air/drone strike"), "196": ("Battles", "Armed clash"),
    "200": (_VAC, "Attack"), "202": (_VAC, "Attack"), "203": (_VAC, "Attack"),
    "2041": (_EXP, "Chemical weapon"),
}
# A trigger that pins the ACLED sub-type more closely than its CAMEO code does.
ACLED_BY_TRIGGER: dict[str, tuple[str, str]] = {
    "missile": (_EXP, "Shelling/artillery/missile attack"),
    "rocket": (_EXP, "Shelling/artillery/missile attack"),
    "grenade": (_EXP, "Grenade"), "landmine": (_EXP, "Remote explosive/landmine/IED"),
    "loot": ("Riots", "Mob violence"), "lynch": ("Riots", "Mob violence"),
    "disperse": ("Protests", "Protest with intervention"),
}
# Violent codes whose ACLED type is a battle when both sides are armed.
VIOLENT = {"180", "182", "1823", "193", "185", "186"}


def acled_for(code: str | None, *, armed_target: bool = False) -> tuple[str, str] | None:
    """ACLED (event type, sub-event type) of a CAMEO code, or None where ACLED has no such event."""
    if code is None:
        return None
    if armed_target and code in VIOLENT:
        return ("Battles", "Armed clash")
    return ACLED.get(code) or ACLED.get(code[:3])


# ---------------------------------------------------------------- trigger lexicon
# Verb lemma [+ words that must stand beside it in the parse] -> code.
VERBS: dict[str, str] = {
    # 01 statements (plain "say" is left to the quotes stage unless it is all a lead sentence has)
    "say": "010", "announce": "010", "declare": "010", "state": "010", "issue statement": "010",
    "decline comment": "011", "claim responsibility": "015", "deny": "016", "welcome": "019",
    # 02-03 appeals and intentions
    "urge": "020", "appeal": "020", "call for": "020", "call on": "020", "plead": "020",
    "pledge": "030", "promise": "030", "vow": "030", "agree": "030",
    # 04-05 consult, diplomatic cooperation
    "meet": "040", "consult": "040", "phone": "041", "visit": "042", "host visit": "043",
    "mediate": "045", "negotiate": "046", "praise": "051", "endorse": "051", "defend": "052",
    "recognize": "054", "recognise": "054", "apologize": "055", "apologise": "055",
    # 06-08 material cooperation, aid, yield
    "cooperate": "060", "provide aid": "070", "supply weapon": "072", "supply arm": "072",
    "send aid": "073", "release prisoner": "0841", "release hostage": "0841",
    "free hostage": "0841", "lift sanction": "085", "surrender": "0874", "retreat": "0874",
    # 09-13 investigate, demand, disapprove, reject, threaten
    "investigate": "090", "probe": "090", "demand": "100", "criticize": "111", "criticise": "111",
    "condemn": "111", "denounce": "111", "slam": "111", "accuse": "112", "blame": "112",
    "sue": "115", "convict": "116", "sentence to": "116", "reject": "120", "refuse": "120",
    "veto": "129", "threaten": "130",
    # 14 protest
    "protest": "141", "rally": "141", "march": "141", "demonstrate": "141", "take street": "141",
    "strike": "195", "walk out": "143", "boycott": "143", "block road": "144",
    "block highway": "144", "block street": "144", "block bridge": "144", "block traffic": "144",
    "block entrance": "144", "riot": "145", "loot": "145",
    # 15 force posture
    "drill": "150", "patrol": "150", "mobilize": "154", "mobilise": "154", "deploy": "154",
    "send troop": "154", "send soldier": "154", "send force": "154", "send warship": "154",
    "mass troop": "154",
    # 16-17 reduce relations, coerce
    "sanction": "163", "expel diplomat": "161", "sever tie": "161", "cut tie": "161",
    "seize": "1711", "confiscate": "1711", "torch": "1712", "set fire": "1712", "vandalize": "1712",
    "arrest": "173", "detain": "173", "apprehend": "173", "charge with": "173", "indict": "173",
    "hold custody": "173", "take custody": "173", "hold hostage": "181", "take hostage": "181",
    "jail": "173", "imprison": "173", "deport": "174", "expel": "174", "disperse": "175",
    "crack down": "175", "hack": "176",
    # 18-20 assault, fight, mass violence
    "attack": "180", "storm": "180", "ambush": "180", "abduct": "181", "kidnap": "181",
    "hijack": "181", "assault": "182", "beat": "182", "stab": "182", "stab death": "1823",
    "beat death": "1823", "injure": "182", "wound": "182", "rape": "1821", "torture": "1822",
    "kill": "1823", "murder": "1823", "behead": "1823", "lynch": "1823", "bomb": "183",
    "blow up": "183", "detonate": "183", "assassinate": "186", "clash": "190", "fight": "190",
    "invade": "190", "blockade": "191", "occupy": "192", "capture": "192", "shoot": "193",
    "open fire": "193", "gun down": "193", "fire shot": "193", "fire bullet": "193",
    "exchange fire": "193", "fire gas": "175", "shell": "194", "pound": "194",
    "fire missile": "195", "fire rocket": "195", "airstrike": "195", "massacre": "202",
    # accidents and disasters
    "explode": "accident:explosion", "catch fire": "accident:fire", "crash": "accident:crash",
    "derail": "accident:crash", "collapse": "accident:collapse", "leak": "accident:leak",
    "erupt": "disaster:eruption", "flood": "disaster:flood",
}
# [Modifiers +] event noun -> code.
NOUNS: dict[str, str] = {
    "statement": "010", "announcement": "010", "denial": "016", "appeal": "020", "pledge": "030",
    "meeting": "040", "talk": "046", "summit": "040", "phone call": "041", "visit": "042",
    "negotiation": "046", "mediation": "045", "agreement": "057", "deal": "057", "treaty": "057",
    "pact": "057", "accord": "057", "memorandum": "057", "cooperation": "060",
    "military aid": "072", "humanitarian aid": "073", "aid": "070", "ceasefire": "0871",
    "truce": "0871", "investigation": "090", "probe": "090", "demand": "100", "criticism": "111",
    "condemnation": "111", "accusation": "112", "allegation": "112", "lawsuit": "115",
    "conviction": "116", "rejection": "120", "veto": "129", "threat": "130", "ultimatum": "139",
    "protest": "141", "demonstration": "141", "rally": "141", "march": "141", "sit-in": "141",
    "vigil": "141", "hunger strike": "142", "general strike": "143", "walkout": "143",
    "boycott": "143", "blockade": "191", "roadblock": "144", "riot": "145", "unrest": "145",
    "looting": "145", "drill": "150", "exercise": "150", "manoeuvre": "150", "maneuver": "150",
    "war game": "150", "training": "150", "patrol": "150", "parade": "150", "missile test": "150",
    "high alert": "152", "alert": "152", "mobilization": "154", "mobilisation": "154",
    "deployment": "154", "reinforcement": "154", "buildup": "154", "build-up": "154",
    "sanction": "163", "embargo": "163", "seizure": "1711", "arson": "1712", "curfew": "1723",
    "state of emergency": "1724", "martial law": "1724", "arrest": "173", "detention": "173",
    "raid": "173", "deportation": "174", "expulsion": "174", "crackdown": "175", "tear gas": "175",
    "cyberattack": "176", "cyber attack": "176", "attack": "180", "assault": "182", "ambush": "180",
    "abduction": "181", "kidnapping": "181", "hijacking": "181", "stabbing": "182",
    "beating": "182", "rape": "1821", "torture": "1822", "killing": "1823", "murder": "1823",
    "homicide": "1823", "bombing": "183", "bomb": "183", "suicide bombing": "1831",
    "suicide attack": "1831", "car bomb": "1832", "roadside bomb": "1833", "ied": "1833",
    "assassination": "186", "clash": "190", "fighting": "190", "battle": "190", "offensive": "190",
    "invasion": "190", "incursion": "190", "occupation": "192", "shooting": "193", "gunfire": "193",
    "shootout": "193", "shelling": "194", "artillery": "194", "strike": "195", "air strike": "195",
    "airstrike": "195", "air raid": "195", "missile strike": "195", "missile attack": "195",
    "rocket attack": "195", "drone strike": "1952", "drone attack": "1952", "massacre": "202",
    "genocide": "202", "ethnic cleansing": "203", "chemical attack": "2041", "nuclear test": "150",
    "explosion": "accident:explosion", "blast": "accident:explosion", "fire": "accident:fire",
    "blaze": "accident:fire", "crash": "accident:crash", "derailment": "accident:crash",
    "collapse": "accident:collapse", "leak": "accident:leak", "spill": "accident:leak",
    "earthquake": "disaster:earthquake", "quake": "disaster:earthquake",
    "tremor": "disaster:earthquake", "flood": "disaster:flood", "flooding": "disaster:flood",
    "hurricane": "disaster:storm", "typhoon": "disaster:storm", "cyclone": "disaster:storm",
    "tornado": "disaster:storm", "storm": "disaster:storm", "wildfire": "disaster:wildfire",
    "bushfire": "disaster:wildfire", "forest fire": "disaster:wildfire",
    "landslide": "disaster:landslide", "mudslide": "disaster:landslide",
    "eruption": "disaster:eruption", "tsunami": "disaster:tsunami", "outbreak": "health:outbreak",
}
# Verbs whose object is the event ("hold drills", "carry out an attack", "make arrests").
LIGHT_VERBS = {
    "hold", "stage", "conduct", "carry", "launch", "begin", "start", "kickstart", "kick",
    "commence", "resume", "continue", "complete", "wrap", "host", "organize", "organise", "join",
    "mount", "undertake", "perform", "have", "make", "pay", "reach", "strike", "attend", "lead",
    "unleash", "wage", "impose", "announce", "call", "issue", "sign", "practice", "practise",
    "participate", "engage", "take", "go", "open", "declare", "order", "step", "intensify",
}
# Verbs whose subject is the event ("drills took place", "a blast rocked", "a fire broke out").
OCCURRENCE_VERBS = {
    "take", "begin", "start", "continue", "end", "kick", "get", "occur", "happen", "erupt",
    "break", "hit", "rock", "strike", "rip", "tear", "kill", "injure", "wound", "destroy",
    "damage", "leave", "claim", "engulf", "spread", "involve", "run", "last", "hold", "stage",
    "conduct", "carry", "launch", "target", "devastate", "flatten", "level", "sweep", "trap",
    "force", "displace", "shake", "come", "mark", "resume", "unfold", "rage", "explode", "detonate",
}
# Kinds that are an event only where the sentence speaks of armed forces ("exercise", "training").
MILITARY_CONTEXT = {"exercise", "training", "drill", "manoeuvre", "maneuver", "patrol", "parade",
                    "alert", "deploy", "deployment", "reinforcement", "buildup", "build-up",
                    "mobilize", "mobilise", "offensive", "shell", "pound", "capture", "occupy",
                    "fight", "battle"}
# Triggers that need one of these words in their sentence to be that event at all.
CONTEXT_REQUIRED: dict[str, set[str]] = {
    "collapse": {"building", "bridge", "roof", "mine", "tunnel", "dam", "wall", "house", "tower",
                 "block", "stadium", "structure", "ceiling", "crane", "school", "factory", "hotel"},
    "leak": {"gas", "chemical", "oil", "radiation", "ammonia", "chlorine", "fuel", "toxic",
             "radioactive", "pipeline"},
    "spill": {"oil", "chemical", "fuel", "toxic", "diesel", "crude"},
    "crash": {"plane", "aircraft", "jet", "helicopter", "car", "train", "bus", "truck", "vehicle",
              "flight", "airliner", "drone", "lorry", "motorcycle", "ship", "boat", "collision"},
    "derail": {"train", "tram", "carriage", "wagon"},
    "flood": {"water", "river", "rain", "rainfall", "flash", "dam", "storm", "monsoon", "home",
              "street", "village", "town", "city", "area", "region", "flooding"},
    "explode": {"bomb", "device", "tank", "boiler", "plant", "factory", "pipeline", "car",
                "vehicle", "grenade", "mine", "shell", "gas", "truck", "warehouse", "depot"},
    "fire": {"firefighter", "flame", "blaze", "burn", "burned", "burnt", "smoke", "broke", "engulf",
             "engulfed", "house", "home", "building", "factory", "plant", "warehouse", "forest",
             "apartment", "arson", "extinguish", "extinguished", "destroyed", "gutted", "caught"},
}
# Words that make an explosion a bombing rather than an accident.
ATTACK_CUES = {"bomb", "bomber", "bombing", "explosive", "ied", "suicide", "terror", "terrorist",
               "militant", "grenade", "device", "insurgent", "attacker", "jihadist", "detonate",
               "landmine", "roadside", "rocket", "shell", "shelling", "missile", "mortar", "drone"}
# Modifiers that make a trigger noun no event at all ("heart attack", "market crash").
NOT_EVENT_MODIFIERS = {"heart", "panic", "asthma", "anxiety", "stock", "market", "price",
                       "currency", "brain", "charm", "media", "publicity", "fire",
                       "ratings", "tax", "photo", "video", "book", "film", "amber"}
# Words that put armed forces in a sentence.
ARMED = {"military", "army", "troop", "troops", "soldier", "soldiers", "force", "forces", "navy",
         "naval", "warship", "warships", "warplane", "warplanes", "jet", "jets", "tank", "tanks",
         "defence", "defense", "armed", "pla", "nato", "marine", "marines", "battalion",
         "brigade", "regiment", "missile", "missiles", "artillery", "war", "combat", "tactical",
         "servicemen", "militia", "militias", "rebel", "rebels", "militant", "militants",
         "insurgent", "insurgents", "fighter", "fighters", "paratroopers", "drone", "drones",
         "airstrike", "airstrikes", "police", "guard", "guards", "commandos", "army's",
         "military's", "infantry", "amphibious", "drills", "anti-terrorist", "joint", "live-fire"}
# A trigger read one way where armed forces are in the sentence, the other way elsewhere.
_AIR = {"missile", "rocket", "drone", "air", "warplane", "jet", "bomber", "military", "army", "navy",
        "artillery", "airstrike", "aircraft", "fighter", "troop", "force", "mortar", "shell", "bomb",
        "target", "raid", "killed", "kill", "dead", "wounded", "injured"}
AMBIGUOUS: dict[str, tuple[str, str | None, str | None, set[str]]] = {
    # head: (code with the cues, code as a noun without them, as a verb without them, cues)
    "strike": ("195", "143", None, _AIR),  # "struck by a car" is no strike
    "march": ("150", "141", "141", ARMED),
}

_IRREGULAR = {
    "hold": "held", "shoot": "shot", "meet": "met", "fight": "fought", "take": "took taken",
    "begin": "began begun", "say": "said", "strike": "struck stricken", "go": "went gone",
    "beat": "beaten", "blow": "blew blown", "catch": "caught", "lead": "led", "send": "sent",
    "break": "broke broken", "make": "made", "pay": "paid", "have": "had has",
    "seek": "sought", "tear": "tore torn", "leave": "left", "come": "came", "run": "ran",
    "set": "set", "cut": "cut", "get": "got gotten", "shake": "shook shaken", "sweep": "swept",
    "spread": "spread", "hit": "hit", "forbid": "forbade", "rip": "ripped ripping",
    "rob": "robbed robbing", "stab": "stabbed stabbing", "plan": "planned planning",
    "stop": "stopped stopping", "ban": "banned banning", "drop": "dropped dropping",
    "trap": "trapped trapping", "step": "stepped stepping", "kidnap": "kidnapped kidnapping",
    "occur": "occurred occurring", "patrol": "patrolled patrolling", "rally": "rallied rallies",
    "imprison": "imprisoned", "level": "levelled levelling", "apologize": "apologized",
    "wage": "waged waging", "ratify": "ratified ratifies", "phone": "phoned phoning",
    "practise": "practised practising", "kickstart": "kick-started",
}


@lru_cache(maxsize=None)
def verb_forms(lemma: str) -> tuple[str, ...]:
    """The inflected forms of a verb (regular rules plus irregulars), lower case."""
    forms = {lemma, *_IRREGULAR.get(lemma, "").split()}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    else:
        forms.add(lemma + "s")
    if not (lemma.endswith("y") and lemma[-2:-1] not in "aeiou"):
        forms.add(stem + "ed")
    forms.add(stem + "ing")
    return tuple(sorted(forms))


# ---------------------------------------------------------------- cue words and lookup tables
# Heads that deny their complement ("denied attacking", "foiled an attack"); "rule out", "call off".
NEGATING = {"deny", "fail", "refuse", "cancel", "postpone", "scrap", "abandon", "ban", "prevent",
            "thwart", "foil", "avert", "rule", "call"}
# Heads that put their complement in the future or in doubt ("plans to attack", "agreed to drills").
FUTURE = {"plan", "threaten", "vow", "intend", "prepare", "aim", "want", "seek", "expect", "hope",
          "propose", "pledge", "promise", "agree", "set", "poise", "schedule", "try", "wish",
          "decide", "consider", "ready", "likely", "urge", "call", "demand", "warn", "able", "due"}
PLANNED = {"planned", "proposed", "possible", "potential", "upcoming", "future", "threatened",
           "expected", "scheduled", "imminent", "looming", "would-be", "further", "next",
           "anticipated", "prospective"}
MODALS = {"could", "may", "might", "would", "should", "can", "will", "'ll", "shall", "must", "wo", "ca"}
# "a week of exercises", "a series of strikes": the event is the noun after "of".
PARTITIVE = {"week", "weeks", "day", "days", "series", "wave", "spate", "round", "rounds", "number",
             "string", "start", "part", "month", "months", "hours", "night", "nights", "kind", "type"}
# Verbs that give a noun event its victims ("a fire broke out, killing nine").
HARM = {"kill", "injure", "wound", "leave", "hit", "destroy", "damage", "displace", "trap"}


def _index(table: dict[str, str], head_last: bool) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for key, code in table.items():
        w = key.split()
        head, rest = (w[-1], tuple(w[:-1])) if head_last else (w[0], tuple(w[1:]))
        out.setdefault(head, []).append((rest, code))
    return {k: sorted(v, key=lambda e: -len(e[0])) for k, v in out.items()}


# head word -> [(other words, code)], longest first
VERB_INDEX = _index(VERBS, head_last=False)
NOUN_INDEX = _index(NOUNS, head_last=True)
# every inflected form of a verb the reader looks up -> its lemma (spaCy's lemmas slip: "stag")
FORMS = {f: v for v in {*VERB_INDEX, *LIGHT_VERBS, *OCCURRENCE_VERBS, *NEGATING, *FUTURE}
         for f in verb_forms(v)}
TRIGGER_FORMS = frozenset({f for n in NOUN_INDEX for f in (n, n + "s", n + "es", n[:-1] + "ies")}
                          | {f for v in VERB_INDEX for f in verb_forms(v)})


def _hashes(words) -> frozenset[int]:
    return frozenset(hash_string(f) for w in words for f in (w, w + "s"))


# The same word lists as spaCy string hashes (a sentence's words are read as hashes).
ARMED_H, _ATTACK_H = _hashes(ARMED), _hashes(ATTACK_CUES)
_CONTEXT_H = {k: _hashes(v) for k, v in CONTEXT_REQUIRED.items()}
_CUES_H = {k: _hashes(v[3]) for k, v in AMBIGUOUS.items()}


def resolve(code: str, head: str, words: set[int], *, armed: bool, mods: set[str], verb: bool) -> str | None:
    """The code a trigger takes given its sentence's word hashes, or None where they rule it out."""
    if head in AMBIGUOUS:
        cued, noun, verb_code, cues = AMBIGUOUS[head]
        return cued if words & _CUES_H[head] or mods & cues else verb_code if verb else noun
    if head in MILITARY_CONTEXT and not (armed or mods & ARMED):
        return None
    if head in CONTEXT_REQUIRED and not code.isdigit() and not (words & _CONTEXT_H[head]):
        return None  # "the market crashed", "documents leaked": no accident
    if code == "accident:explosion" or head == "explode":
        return "183" if words & _ATTACK_H else "accident:explosion"
    return code
