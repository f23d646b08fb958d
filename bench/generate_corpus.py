#!/usr/bin/env python
"""Generate a synthetic corpus of defence-news articles for the benchmark.

    python bench/generate_corpus.py --n 100000 --seed 7 --out DIR [--start 0] [--jobs 2]

Writes N ``.txt`` files into ``DIR/<shard>/<index>_<hex>.txt`` with shards of 1000
files (``DIR/000/``, ``DIR/001/``, ...). Every article is a pure function of
``(seed, index)``, so ``--start N --n M`` adds M *new* articles to an existing
corpus of N (that is how the benchmark's +1 % incremental run gets its input) and
a rerun with the same arguments writes byte-identical files.

An article is: optional page chrome of one of a dozen recurring "outlets" (menus,
capture date, share buttons, ads), a headline, a dated header / byline / dateline in
varied formats (or none), a lead sentence reporting the main contact (one of the event types of
``defcomm_assets/core/vocabulary.py``, or none), body paragraphs
recombined from the sentence templates in ``bench/templates/sentences.txt`` filled
with officials, countries, roles, weekdays and dates, and page boilerplate at the
end (related-links lists with timestamps, newsletter blocks, tags, copyright).
About 2 % of articles are reprints of an earlier article's body under another
outlet's chrome, as in real scraped folders. Lengths are 300-1500 words.

Standard library and ``defcomm_assets.core.vocabulary`` (itself standard library) only; no Dagster, no spaCy.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: the repository root holds defcomm_assets
    sys.path.insert(0, str(HERE.parent))

from defcomm_assets.core.vocabulary import EVENT_TYPES as _VOCABULARY_TYPES  # noqa: E402
from defcomm_assets.core.vocabulary import TOPICS as _VOCABULARY_TOPICS  # noqa: E402

TEMPLATES_PATH = HERE / "templates" / "sentences.txt"
SHARD_SIZE = 1000
MIN_WORDS = 300
MAX_WORDS = 1500
REPRINT_SHARE = 0.02

# --------------------------------------------------------------------------------------
# World data (general knowledge + invented names).
# --------------------------------------------------------------------------------------

# code: (name, adjective, capital, other cities, weight)
COUNTRIES: dict[str, tuple[str, str, str, tuple[str, ...], int]] = {
    "UA": ("Ukraine", "Ukrainian", "Kyiv", ("Lviv", "Odesa", "Dnipro", "Kharkiv"), 14),
    "PL": ("Poland", "Polish", "Warsaw", ("Kraków", "Rzeszów", "Gdańsk", "Poznań"), 10),
    "US": ("the United States", "American", "Washington", ("Arlington", "San Diego", "Norfolk"), 8),
    "DE": ("Germany", "German", "Berlin", ("Munich", "Bonn", "Kiel"), 7),
    "GB": ("the United Kingdom", "British", "London", ("Portsmouth", "Edinburgh"), 6),
    "FR": ("France", "French", "Paris", ("Toulon", "Brest", "Lyon"), 6),
    "LT": ("Lithuania", "Lithuanian", "Vilnius", ("Kaunas", "Klaipėda"), 4),
    "LV": ("Latvia", "Latvian", "Riga", ("Ādaži", "Liepāja"), 3),
    "EE": ("Estonia", "Estonian", "Tallinn", ("Tartu", "Tapa"), 3),
    "RO": ("Romania", "Romanian", "Bucharest", ("Constanța", "Cluj-Napoca"), 4),
    "SE": ("Sweden", "Swedish", "Stockholm", ("Gothenburg", "Karlskrona"), 3),
    "FI": ("Finland", "Finnish", "Helsinki", ("Turku", "Tampere"), 3),
    "NO": ("Norway", "Norwegian", "Oslo", ("Bergen", "Bodø"), 2),
    "DK": ("Denmark", "Danish", "Copenhagen", ("Aarhus",), 2),
    "NL": ("the Netherlands", "Dutch", "The Hague", ("Amsterdam", "Den Helder"), 3),
    "IT": ("Italy", "Italian", "Rome", ("Milan", "Naples"), 3),
    "ES": ("Spain", "Spanish", "Madrid", ("Rota", "Zaragoza"), 2),
    "CZ": ("the Czech Republic", "Czech", "Prague", ("Brno", "Ostrava"), 2),
    "SK": ("Slovakia", "Slovak", "Bratislava", ("Košice",), 1),
    "TR": ("Turkey", "Turkish", "Ankara", ("Istanbul", "Izmir"), 3),
    "CA": ("Canada", "Canadian", "Ottawa", ("Halifax", "Toronto"), 2),
    "JP": ("Japan", "Japanese", "Tokyo", ("Yokosuka", "Osaka"), 2),
    "KR": ("South Korea", "South Korean", "Seoul", ("Busan", "Changwon"), 2),
    "MD": ("Moldova", "Moldovan", "Chișinău", ("Bălți",), 1),
    "GE": ("Georgia", "Georgian", "Tbilisi", ("Batumi",), 1),
    "NATO": ("NATO", "NATO", "Brussels", ("Mons", "Brunssum"), 3),
    "EU": ("the European Union", "EU", "Brussels", ("Strasbourg",), 2),
}

# Well-known officials (public figures; general knowledge): (name, country, role, gender)
KNOWN_OFFICIALS: tuple[tuple[str, str, str, str], ...] = (
    ("Rustem Umerov", "UA", "Minister of Defence", "m"),
    ("Denys Shmyhal", "UA", "Minister of Defence", "m"),
    ("Oleksii Reznikov", "UA", "Minister of Defence", "m"),
    ("Valerii Zaluzhnyi", "UA", "Commander-in-Chief of the Armed Forces", "m"),
    ("Oleksandr Syrskyi", "UA", "Commander-in-Chief of the Armed Forces", "m"),
    ("Andrii Hnatov", "UA", "Chief of the General Staff", "m"),
    ("Andrii Sybiha", "UA", "Minister of Foreign Affairs", "m"),
    ("Volodymyr Zelenskyy", "UA", "President", "m"),
    ("Władysław Kosiniak-Kamysz", "PL", "Minister of National Defence", "m"),
    ("Wiesław Kukuła", "PL", "Chief of the General Staff", "m"),
    ("Radosław Sikorski", "PL", "Minister of Foreign Affairs", "m"),
    ("Mariusz Błaszczak", "PL", "Minister of National Defence", "m"),
    ("Lloyd Austin", "US", "Secretary of Defense", "m"),
    ("Pete Hegseth", "US", "Secretary of Defense", "m"),
    ("Marco Rubio", "US", "Secretary of State", "m"),
    ("Boris Pistorius", "DE", "Minister of Defence", "m"),
    ("Carsten Breuer", "DE", "Chief of Defence", "m"),
    ("Sébastien Lecornu", "FR", "Minister of the Armed Forces", "m"),
    ("Catherine Vautrin", "FR", "Minister of the Armed Forces", "f"),
    ("John Healey", "GB", "Defence Secretary", "m"),
    ("Grant Shapps", "GB", "Defence Secretary", "m"),
    ("Dovilė Šakalienė", "LT", "Minister of National Defence", "f"),
    ("Laurynas Kasčiūnas", "LT", "Minister of National Defence", "m"),
    ("Andris Sprūds", "LV", "Minister of Defence", "m"),
    ("Hanno Pevkur", "EE", "Minister of Defence", "m"),
    ("Angel Tîlvăr", "RO", "Minister of National Defence", "m"),
    ("Pål Jonson", "SE", "Minister for Defence", "m"),
    ("Antti Häkkänen", "FI", "Minister of Defence", "m"),
    ("Troels Lund Poulsen", "DK", "Minister of Defence", "m"),
    ("Ruben Brekelmans", "NL", "Minister of Defence", "m"),
    ("Guido Crosetto", "IT", "Minister of Defence", "m"),
    ("Margarita Robles", "ES", "Minister of Defence", "f"),
    ("Jana Černochová", "CZ", "Minister of Defence", "f"),
    ("Yaşar Güler", "TR", "Minister of National Defence", "m"),
    ("Bill Blair", "CA", "Minister of National Defence", "m"),
    ("Gen Nakatani", "JP", "Minister of Defense", "m"),
    ("Anatolie Nosatîi", "MD", "Minister of Defence", "m"),
    ("Mark Rutte", "NATO", "Secretary General", "m"),
    ("Jens Stoltenberg", "NATO", "Secretary General", "m"),
    ("Kaja Kallas", "EU", "High Representative for Foreign Affairs and Security Policy", "f"),
    ("Andrius Kubilius", "EU", "Commissioner for Defence and Space", "m"),
)

# Invented officials: first names (male, female) and surnames by language group.
_NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "uk": (("Oleksandr", "Serhii", "Andrii", "Mykola", "Taras", "Dmytro", "Yurii", "Vadym", "Ihor", "Bohdan"),
           ("Iryna", "Olena", "Nataliia", "Oksana", "Yuliia", "Kateryna"),
           ("Kovalenko", "Bondarenko", "Tkachenko", "Melnyk", "Shevchuk", "Kravets", "Marchenko", "Lysenko",
            "Hrytsenko", "Savchuk", "Moroz", "Palamarchuk", "Ostapenko", "Danylchuk")),
    "pl": (("Tomasz", "Marek", "Paweł", "Krzysztof", "Jarosław", "Piotr", "Wojciech", "Grzegorz"),
           ("Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Małgorzata"),
           ("Nowakowski", "Wiśniewski", "Zieliński", "Kamiński", "Lewandowski", "Dąbrowski", "Szymański",
            "Woźniak", "Kozłowski", "Jabłoński", "Wróblewski", "Pietrzak")),
    "en": (("James", "Michael", "Robert", "David", "Richard", "Thomas", "Andrew", "Daniel", "Mark", "Paul"),
           ("Sarah", "Emily", "Laura", "Rachel", "Helen", "Karen", "Susan"),
           ("Harrington", "Whitfield", "Calloway", "Brennan", "Ashworth", "Pemberton", "Langley", "Hollis",
            "Sutherland", "Garrison", "Mercer", "Radcliffe")),
    "de": (("Matthias", "Stefan", "Jörg", "Henrik", "Ulrich", "Frank", "Tobias"),
           ("Sabine", "Katrin", "Ursula", "Annegret", "Julia"),
           ("Brandt", "Hoffmann", "Krüger", "Schäfer", "Neumann", "Vogel", "Lindner", "Hartmann", "Weiß")),
    "fr": (("Jean-Marc", "Olivier", "Thierry", "Laurent", "Philippe", "Benoît"),
           ("Florence", "Élisabeth", "Sophie", "Claire", "Amélie"),
           ("Dufresne", "Lemaire", "Girard", "Moreau", "Rousseau", "Fontaine", "Chevalier", "Bérenger")),
    "balt": (("Vytautas", "Arvydas", "Raimonds", "Jānis", "Kalle", "Margus", "Tõnis", "Rimantas"),
             ("Rasa", "Ieva", "Kristiina", "Liga", "Evelin"),
             ("Kazlauskas", "Petrauskas", "Bērziņš", "Kalniņš", "Tamm", "Saar", "Mägi", "Jankauskas")),
    "nord": (("Lars", "Mikael", "Jukka", "Henrik", "Erik", "Anders", "Mikko"),
             ("Ingrid", "Sanna", "Kristina", "Maria", "Anu"),
             ("Lindqvist", "Virtanen", "Korhonen", "Johansson", "Halvorsen", "Nieminen", "Sørensen", "Berg")),
    "ro": (("Mihai", "Bogdan", "Radu", "Cristian", "Vasile", "Ion", "Dorin"),
           ("Ioana", "Elena", "Simona", "Natalia"),
           ("Popescu", "Ionescu", "Dumitrescu", "Stoica", "Munteanu", "Rusu", "Ciobanu", "Lungu")),
    "south": (("Giorgio", "Marco", "Alessandro", "Javier", "Carlos", "Miguel"),
              ("Francesca", "Chiara", "Lucía", "Carmen"),
              ("Bianchi", "Ferrara", "Colombo", "Marchetti", "Navarro", "Ortega", "Castillo")),
    "cz": (("Petr", "Jiří", "Martin", "Pavel", "Ondřej", "Marián"),
           ("Lenka", "Zuzana", "Markéta", "Jana"),
           ("Dvořák", "Novotný", "Procházka", "Kučera", "Horváth", "Svoboda")),
    "tr": (("Mehmet", "Ahmet", "Murat", "Kemal", "Hakan"), ("Ayşe", "Zeynep", "Elif"),
           ("Yılmaz", "Kaya", "Demir", "Çelik", "Şahin", "Aydın", "Öztürk")),
    "asia": (("Hiroshi", "Takeshi", "Kenji", "Min-jun", "Seung-ho"), ("Yuko", "Akiko", "Ji-young"),
             ("Tanaka", "Yamamoto", "Watanabe", "Kim", "Park", "Choi", "Lee")),
    "ka": (("Giorgi", "Levan", "Irakli"), ("Nino", "Tamar"), ("Beridze", "Kapanadze", "Gelashvili")),
}
_COUNTRY_POOL = {
    "UA": "uk", "PL": "pl", "US": "en", "GB": "en", "CA": "en", "DE": "de", "NL": "de", "FR": "fr",
    "LT": "balt", "LV": "balt", "EE": "balt", "SE": "nord", "FI": "nord", "NO": "nord", "DK": "nord",
    "RO": "ro", "MD": "ro", "IT": "south", "ES": "south", "CZ": "cz", "SK": "cz", "TR": "tr",
    "JP": "asia", "KR": "asia", "GE": "ka", "NATO": "en", "EU": "fr",
}
_GENERIC_ROLES = (
    "Minister of Defence", "Defence Minister", "Deputy Minister of Defence", "Chief of the General Staff",
    "Chief of Defence", "Minister of Foreign Affairs", "Commander of the Land Forces", "Navy Commander",
    "Deputy Chief of the General Staff", "State Secretary at the Ministry of Defence",
)
_ORG_ROLES = {
    "NATO": ("Deputy Secretary General", "Chair of the Military Committee", "Assistant Secretary General"),
    "EU": ("Commissioner for Defence", "Chair of the EU Military Committee", "Deputy Secretary General of the EEAS"),
}
_DOMESTIC_ROLES = (
    "Chief of the General Staff", "Commander of the Special Operations Forces", "Commander of the Air Force",
    "head of the Armament Agency", "Commander of the Territorial Defence Forces", "Deputy Minister of Defence",
)

# How articles name each topic of the vocabulary.
_TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "air_defense": ("air defence", "the protection of the sky", "air and missile defence"),
    "drones": ("countering drones", "the production of drones", "drone warfare"),
    "training": ("the training of soldiers", "joint training", "training of pilots"),
    "intelligence_sharing": ("intelligence sharing", "the exchange of intelligence"),
    "joint_exercises": ("joint exercises", "preparations for joint military exercises"),
    "cybersecurity": ("cybersecurity", "cyber defence"),
    "defense_industry": ("defence industry cooperation", "joint production of ammunition", "arms procurement"),
    "military_aid": ("military aid to Ukraine", "the next aid package", "the supply of weapons"),
    "security_guarantees": ("security guarantees", "long-term security commitments"),
    "frontline_situation": ("the situation at the front", "the operational situation on the battlefield"),
    "airspace_incident": ("the recent airspace violation", "the drone incursion into allied airspace"),
    "border_security": ("border security", "the protection of the eastern border"),
    "regional_security": ("regional security", "security in the Baltic Sea region",
                          "the security of the eastern flank"),
    "peace_process": ("the peace process", "efforts to achieve a just peace"),
    "nato_cooperation": ("cooperation within NATO", "preparations for the NATO summit"),
    "maritime_security": ("maritime security", "security in the Black Sea",
                          "the protection of undersea infrastructure"),
    "counterterrorism": ("counterterrorism", "the fight against terrorism"),
    "bilateral_cooperation": ("bilateral defence cooperation", "defence cooperation between the two countries"),
}
# in vocabulary order (the corpus of a seed depends on it); a topic without phrases is never written about
TOPIC_PHRASES: tuple[tuple[str, ...], ...] = tuple(_TOPIC_PHRASES[t] for t in _VOCABULARY_TOPICS if t in _TOPIC_PHRASES)
SYSTEMS = ("Patriot", "IRIS-T", "NASAMS", "F-16", "Leopard 2", "K2", "HIMARS", "CV90", "Piorun", "Gripen",
           "SAMP/T", "Skynex", "Bayraktar TB2", "155 mm artillery shells", "Javelin", "Krab howitzers")
VENUES = ("the NATO summit in Vilnius", "the Ukraine Defense Contact Group meeting in Ramstein",
          "the Munich Security Conference", "the NATO defence ministers' meeting in Brussels",
          "the Warsaw Security Forum", "the Shangri-La Dialogue in Singapore", "the EU Foreign Affairs Council",
          "the NATO summit in The Hague", "the Halifax International Security Forum")
PLATFORMS = ("X", "Facebook", "Telegram", "X (Twitter)", "the ministry's website")
FUTURES = ("next month", "in the near future", "in the coming weeks", "later this year", "before the end of the year",
           "early next year", "in the first quarter of next year")
ORGS = ("NATO", "the EU", "the OSCE", "the Nordic-Baltic Eight", "the Bucharest Nine")
AGENCIES = ("the ministry's press service", "the agency", "the press office", "the spokesperson")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
AUTHORS = ("Anna Kowalczyk", "Mark Ellison", "Oksana Petrenko", "Jonas Weber", "Editorial Team", "Staff Writer",
           "Piotr Malinowski", "Claire Dumont", "Newsroom", "Daniel Osborne")
# The main contact of an article: a type of the vocabulary, or none. Each needs its headline_<type> and lead_<type>
# templates in templates/sentences.txt.
EVENT_TYPES = (*_VOCABULARY_TYPES, "none")
# how often each comes up, in EVENT_TYPES order (a type added to the vocabulary needs its weight here)
EVENT_WEIGHTS = (24, 9, 22, 10, 7, 9, 5, 14)
assert len(EVENT_WEIGHTS) == len(EVENT_TYPES), "bench/generate_corpus.py: one weight per event type, then none"

# --------------------------------------------------------------------------------------
# Outlets: page chrome repeated verbatim across every file of that outlet.
# --------------------------------------------------------------------------------------

OUTLETS: tuple[dict, ...] = (
    {"name": "Eastern Flank Monitor", "weight": 10,
     "header": ["Consent Preferences", "Eastern Flank Monitor - Defence news from Central Europe",
                "  • Login", "  • Register", "  • NEWS", "  • POLITICS", "  • DEFENCE", "  • UKRAINE", "  • Economy",
                "  • Opinion", "No Result", "View All Result", "ADVERTISEMENT", "Home NEWS"],
     "capture_date": True, "date_style": "byline_team", "share": "Share on FacebookShare on Twitter",
     "inline_ads": ["ADVERTISEMENT"], "related": ("Related Posts", "dmy_long"), "newsletter": True,
     "tags": True, "footer": ["About", "We bring you the latest defence news every day.", "Follow us",
                              "© 2023 Eastern Flank Monitor"]},
    {"name": "Defence Wire", "weight": 12,
     "header": [], "capture_date": False, "date_style": "none_top", "share": None,
     "inline_ads": ["Advertising"], "related": ("MORE ABOUT", "hm_dmy"), "newsletter": False,
     "tags": False, "footer": [], "latest": True},
    {"name": "Kyiv Defence Journal", "weight": 9,
     "header": [], "capture_date": False, "date_style": "date_prefix", "share": None,
     "inline_ads": [], "related": ("Read also:", None), "newsletter": False, "tags": False, "footer": []},
    {"name": "Baltic Security Review", "weight": 7,
     "header": ["Skip to content", "Menu", "Search", "Home", "Defence", "Politics", "World", "Videos",
                "Subscribe"],
     "capture_date": False, "date_style": "published_dmy", "share": "Share this article",
     "inline_ads": ["Advertisement", "Continue reading below"], "related": ("Related articles", "ago"),
     "newsletter": True, "tags": True, "footer": ["Privacy Policy", "Cookie Settings", "Contact us",
                                                   "© Baltic Security Review. All rights reserved."]},
    {"name": "Atlantic Defense Daily", "weight": 8,
     "header": ["Sign in", "Subscribe", "Topics", "Air", "Land", "Naval", "Space", "Cyber", "Industry"],
     "capture_date": True, "date_style": "by_author_mdy", "share": "Facebook Twitter LinkedIn Email",
     "inline_ads": ["Sponsored Content"], "related": ("More from Atlantic Defense Daily", "mdy"),
     "newsletter": True, "tags": False, "footer": ["About Us", "Careers", "Terms of Use",
                                                    "© 2024 Atlantic Defense Daily"]},
    {"name": "Agency dateline", "weight": 10,
     "header": [], "capture_date": False, "date_style": "dateline", "share": None,
     "inline_ads": [], "related": None, "newsletter": False, "tags": False, "footer": []},
    {"name": "Obrona Portal", "weight": 6,
     "header": ["Strona główna", "Wiadomości", "Obronność", "Polityka", "Kontakt"],
     "capture_date": False, "date_style": "hm_dmy_top", "share": "Udostępnij",
     "inline_ads": ["REKLAMA"], "related": ("Zobacz także", "dmy_dots"), "newsletter": False,
     "tags": False, "footer": ["Regulamin", "Polityka prywatności"]},
    {"name": "Security Briefing Blog", "weight": 5,
     "header": ["Menu", "Home", "About", "Archive", "Newsletter"], "capture_date": False,
     "date_style": "posted_on", "share": "Share this:", "inline_ads": [],
     "related": ("Recent Posts", None), "newsletter": True, "tags": True,
     "footer": ["Powered by WordPress", "Theme by Example Themes"]},
    {"name": "Plain text", "weight": 9,
     "header": [], "capture_date": False, "date_style": "none", "share": None,
     "inline_ads": [], "related": None, "newsletter": False, "tags": False, "footer": []},
    {"name": "Ministry press release", "weight": 6,
     "header": ["Ministry of Defence", "Press releases", "News", "Home / News / Press releases"],
     "capture_date": False, "date_style": "iso_line", "share": "Print", "inline_ads": [],
     "related": ("Other news", "dmy_dots"), "newsletter": False, "tags": False,
     "footer": ["Accessibility statement", "Contact the press office"]},
)
_OUTLET_WEIGHTS = tuple(o["weight"] for o in OUTLETS)
_NEWSLETTER = ["Oh hi there 👋", "It's nice to meet you.", "Sign up to receive our weekly defence briefing.",
               "Every Saturday.", "We don't spam!", "Check your inbox or spam folder to confirm your subscription."]

# --------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------

_TEMPLATES: dict[str, tuple[str, ...]] | None = None
_SLOT_RE = re.compile(r"\{([A-Za-z_0-9]+)\}")


def load_templates(path: Path = TEMPLATES_PATH) -> dict[str, tuple[str, ...]]:
    """Parse ``sentences.txt`` into ``{section: templates}`` (cached per process)."""
    global _TEMPLATES
    if _TEMPLATES is not None and path == TEMPLATES_PATH:
        return _TEMPLATES
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        if current is None:
            raise ValueError(f"template outside a section: {line!r}")
        current.append(line)
    result = {k: tuple(v) for k, v in sections.items()}
    if path == TEMPLATES_PATH:
        _TEMPLATES = result
    return result


# --------------------------------------------------------------------------------------
# Article generation
# --------------------------------------------------------------------------------------

_EPOCH = _dt.date(2022, 2, 1)
_SPAN_DAYS = (_dt.date(2026, 1, 31) - _EPOCH).days
_COUNTRY_CODES = tuple(COUNTRIES)
_COUNTRY_WEIGHTS = tuple(c[4] for c in COUNTRIES.values())
_KNOWN_BY_COUNTRY: dict[str, list[tuple[str, str, str, str]]] = {}
for _o in KNOWN_OFFICIALS:
    _KNOWN_BY_COUNTRY.setdefault(_o[1], []).append(_o)


def _official(rng: random.Random, code: str, domestic: bool = False) -> dict[str, str]:
    name_c, adj, cap, cities, _w = COUNTRIES[code]
    known = _KNOWN_BY_COUNTRY.get(code)
    if not domestic and known and rng.random() < 0.45:
        name, _c, role, gender = rng.choice(known)
    else:
        males, females, lasts = _NAME_POOLS[_COUNTRY_POOL[code]]
        gender = "f" if rng.random() < 0.22 else "m"
        first = rng.choice(females if gender == "f" else males)
        name = f"{first} {rng.choice(lasts)}"
        if domestic:
            role = rng.choice(_DOMESTIC_ROLES)
        else:
            role = rng.choice(_ORG_ROLES.get(code, _GENERIC_ROLES))
    last = name.split()[-1]
    he = "she" if gender == "f" else "he"
    return {
        "name": name, "last": last, "role": role, "ctry": name_c, "adj": adj, "cap": cap,
        "city": rng.choice((cap,) + cities), "he": he, "He": he.capitalize(),
        "his": "her" if gender == "f" else "his", "code": code,
    }


def _intros(o: dict[str, str]) -> tuple[str, ...]:
    """The ways an article introduces an official (picked at random per use)."""
    name, role, ctry, adj = o["name"], o["role"], o["ctry"], o["adj"]
    ctry_cap = ctry[0].upper() + ctry[1:]
    return (
        f"{role} of {ctry_cap} {name}" if o["code"] not in ("NATO", "EU") else f"{adj} {role} {name}",
        f"{adj} {role} {name}",
        f"{name}, {ctry_cap}'s {role}" if o["code"] not in ("NATO", "EU") else f"{name}, {adj} {role}",
        f"{name}, {role} of {ctry}",
        f"{adj} {role.lower() if rng_lower_ok(role) else role} {name}",
    )


def rng_lower_ok(role: str) -> bool:
    return role.startswith(("Minister", "Defence", "Deputy"))


class _Slots(dict):
    """Mapping for ``str.format_map``: intros and topic phrases vary on every use."""

    __slots__ = ("rng", "intros", "topics")

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key in self.intros:
            return rng.choice(self.intros[key])
        if key.startswith("topic"):
            return rng.choice(self.topics[rng.randrange(len(self.topics))])
        if key == "system":
            return rng.choice(SYSTEMS)
        if key == "future":
            return rng.choice(FUTURES)
        if key == "pct":
            return rng.choice(("2", "2.5", "3", "3.5", "4", "4.7", "5"))
        if key == "number":
            return str(rng.choice((2, 3, 4, 5, 12, 20, 40, 150)))
        raise KeyError(key)


def _fmt_day(rng: random.Random, event: _dt.date, pub: _dt.date | None) -> tuple[str, str]:
    """('on Monday', 'On Monday') style phrase for the event date, consistent with pub."""
    wd = WEEKDAYS[event.weekday()]
    delta = (pub - event).days if pub else 99
    choices: list[str] = []
    if delta == 0:
        choices += ["today", "earlier today", f"on {wd}"]
    elif delta == 1:
        choices += ["yesterday", f"on {wd}"]
    elif delta < 7:
        choices += [f"on {wd}", f"last {wd}"]
    choices += [f"on {event.day} {MONTHS[event.month - 1]}", f"on {MONTHS[event.month - 1]} {event.day}"]
    phrase = rng.choice(choices)
    return phrase, phrase[0].upper() + phrase[1:]


def _fmt_date(rng: random.Random, d: _dt.date, style: str) -> str:
    m = MONTHS[d.month - 1]
    if style == "dmy_long":
        return f"{d.day} {m} {d.year}"
    if style == "mdy":
        return f"{m} {d.day}, {d.year}"
    if style == "dmy_dots":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "hm_dmy":
        return f"{rng.randrange(7, 23):02d}:{rng.randrange(60):02d}, {d.day:02d}.{d.month:02d}.{d.year}"
    if style == "ago":
        return rng.choice(("2 hours ago", "5 hours ago", "1 day ago", "3 days ago", "a week ago"))
    if style == "full":
        return f"{WEEKDAYS[d.weekday()]}, {m} {d.day}, {d.year}"
    return d.isoformat()


def _words(s: str) -> int:
    return s.count(" ") + 1


def _headline_for(rng: random.Random, templates, slots: _Slots) -> str:
    etype = rng.choices(EVENT_TYPES, EVENT_WEIGHTS)[0]
    return rng.choice(templates["headline_" + etype]).format_map(slots)


def _make_slots(rng: random.Random) -> tuple[_Slots, dict]:
    code_a = rng.choices(_COUNTRY_CODES, _COUNTRY_WEIGHTS)[0]
    code_b = code_a
    while code_b == code_a:
        code_b = rng.choices(_COUNTRY_CODES, _COUNTRY_WEIGHTS)[0]
    code_c = code_a
    while code_c in (code_a, code_b):
        code_c = rng.choices(_COUNTRY_CODES, _COUNTRY_WEIGHTS)[0]
    people = {"A": _official(rng, code_a), "B": _official(rng, code_b), "C": _official(rng, code_c),
              "D": _official(rng, code_a, domestic=True)}
    slots = _Slots()
    slots.rng = rng
    slots.intros = {}
    for k, o in people.items():
        for f in ("name", "last", "role", "ctry", "adj", "cap", "he", "his"):
            slots[f"{k}_{f}"] = o[f]
        slots[f"{k}_he_cap"] = o["He"]
        slots.intros[k] = _intros(o) if k != "D" else (f"{o['role']} {o['name']}", f"{o['name']}, {o['role']}")
    # 1-3 topics dominate an article, others appear occasionally
    main_topics = rng.sample(range(len(TOPIC_PHRASES)), 3)
    slots.topics = tuple(TOPIC_PHRASES[i] for i in main_topics)
    slots["platform"] = rng.choice(PLATFORMS)
    slots["venue"] = rng.choice(VENUES)
    org = rng.choice(ORGS)
    slots["org"] = org
    slots["Org"] = org[0].upper() + org[1:]
    slots["org_adj"] = org[4:] if org.startswith("the ") else org
    slots["agency"] = rng.choice(AGENCIES)
    slots["city"] = people["B"]["city"] if rng.random() < 0.6 else people["A"]["city"]
    return slots, people


def _body(rng: random.Random, target_words: int) -> tuple[str, list[str], _dt.date | None, list[str]]:
    """Headline, body paragraphs, publication date, and extra headlines for related lists."""
    templates = load_templates()
    slots, _people = _make_slots(rng)
    pub = _EPOCH + _dt.timedelta(days=rng.randrange(_SPAN_DAYS))
    event = pub - _dt.timedelta(days=rng.choice((0, 0, 1, 1, 1, 2, 3, 5, 9)))
    slots["weekday"] = WEEKDAYS[event.weekday()]
    slots["date"] = f"{event.day} {MONTHS[event.month - 1]}"
    slots["month"] = MONTHS[rng.randrange(12)]
    slots["year"] = str(pub.year)
    day, day_cap = _fmt_day(rng, event, pub)
    slots["day"], slots["Day_cap"] = day, day_cap

    etype = rng.choices(EVENT_TYPES, EVENT_WEIGHTS)[0]
    headline = rng.choice(templates["headline_" + etype]).format_map(slots)
    paras: list[str] = []
    lead = rng.choice(templates["lead_" + etype]).format_map(slots)
    if rng.random() < 0.5:
        lead += " " + rng.choice(templates["topics"]).format_map(slots)
    paras.append(lead)
    words = _words(headline) + _words(lead)

    cats = ("topics", "quote", "background", "followup", "domestic", "statement", "planned", "secondary",
            "closing", "section_heading", "lead_" + etype)
    weights = (24, 20, 16, 4, 6, 8, 6, 6, 3, 4, 2)
    while words < target_words:
        cat = rng.choices(cats, weights)[0]
        if cat == "section_heading":
            para = rng.choice(templates[cat]).format_map(slots)
        else:
            n_sent = rng.choice((1, 2, 2, 3, 3, 4))
            sents = [rng.choice(templates[cat]).format_map(slots)]
            for _ in range(n_sent - 1):
                sents.append(rng.choice(templates[rng.choices(cats[:9], weights[:9])[0]]).format_map(slots))
            para = " ".join(sents)
        paras.append(para)
        words += _words(para)
    return headline, paras, pub, [_headline_for(rng, templates, _make_slots(rng)[0]) for _ in range(8)]


def _chrome_date_line(rng: random.Random, style: str, pub: _dt.date, outlet: dict) -> str | None:
    if style == "byline_team":
        return f"{outlet['name']} Team by {outlet['name']} Team\n{_fmt_date(rng, pub, 'dmy_long')}\nin NEWS, Defence"
    if style == "by_author_mdy":
        return f"By {rng.choice(AUTHORS)}\n{_fmt_date(rng, pub, 'mdy')}"
    if style == "published_dmy":
        return f"Published {_fmt_date(rng, pub, 'dmy_long')} at {rng.randrange(6, 23):02d}:{rng.randrange(60):02d}"
    if style == "hm_dmy_top":
        return _fmt_date(rng, pub, "hm_dmy")
    if style == "posted_on":
        return f"Posted on {_fmt_date(rng, pub, 'mdy')} by {rng.choice(AUTHORS)}"
    if style == "iso_line":
        return f"Date: {pub.isoformat()}"
    return None


def generate_article(seed: int, index: int) -> tuple[str, str]:
    """Return ``(relative_path, text)`` of article ``index`` of the corpus ``seed``.

    Pure function of its arguments (the corpus is reproducible file by file).
    """
    rng = random.Random(f"defcomm-bench:{seed}:{index}")
    name = f"{index // SHARD_SIZE:03d}/{index:07d}_{rng.getrandbits(32):08x}.txt"
    outlet = rng.choices(OUTLETS, _OUTLET_WEIGHTS)[0]
    body_index = index
    if index > 0 and rng.random() < REPRINT_SHARE:
        body_index = rng.randrange(index)  # reprint of an earlier article under this outlet's chrome
    body_rng = random.Random(f"defcomm-bench-body:{seed}:{body_index}")
    # body length: log-normal around ~550 words; with the chrome the files stay in 300-1500 words
    body_target = int(min(MAX_WORDS - 200, max(MIN_WORDS, body_rng.lognormvariate(6.2, 0.45))))
    headline, paras, pub, other_headlines = _body(body_rng, body_target)

    out: list[str] = []
    if outlet.get("capture_date"):
        cap = pub + _dt.timedelta(days=rng.randrange(30, 400))
        out.append(_fmt_date(rng, cap, "full"))
    out.extend(outlet["header"])
    if outlet["header"]:
        out.append("")
    out.append(headline)
    style = outlet["date_style"]
    dl = _chrome_date_line(rng, style, pub, outlet)
    if dl:
        out.append(dl)
    if outlet.get("share"):
        out.append(outlet["share"])
    if outlet["header"]:
        out.append("")
    body = list(paras)
    if style == "date_prefix":
        body[0] = f" date {pub.isoformat()} {body[0]}"
    elif style == "dateline":
        city = rng.choice(("KYIV", "WARSAW", "BRUSSELS", "VILNIUS", "BERLIN", "LONDON", "BUCHAREST"))
        agency = rng.choice(("Agency", "Wire", "News Service"))
        body[0] = f"{city}, {MONTHS[pub.month - 1]} {pub.day} ({agency}) – {body[0]}"
    top = "\n".join(out)
    out = []
    ads = outlet["inline_ads"]
    for i, p in enumerate(body):
        out.append(p)
        if ads and i in (2, 7) and rng.random() < 0.7:
            out.append(rng.choice(ads))
        if i == 4 and rng.random() < 0.15:
            out.append(f"![{rng.choice(('Photo', 'Illustrative photo', 'The ministers'))}]"
                       f"(https://cdn.example.org/{pub.year}/{pub.month:02d}/{rng.getrandbits(40):010x}.jpg)")
    sep = "\n\n" if rng.random() < 0.6 else "\n"
    middle = sep.join(out)
    out = []
    if outlet["newsletter"] and rng.random() < 0.8:
        out.extend(_NEWSLETTER)
    if outlet["tags"]:
        out.append("Tags: " + ", ".join(rng.sample(("Ukraine", "NATO", "Poland", "defence", "air defence",
                                                     "Russia", "security", "drones"), 3)))
    rel = outlet["related"]
    if rel:
        heading, ts_style = rel
        out.append(heading)
        k = rng.randrange(3, 8)
        d = pub
        for h in other_headlines[:k]:
            out.append(h)
            if ts_style:
                d = d - _dt.timedelta(days=rng.randrange(0, 3))
                out.append(_fmt_date(rng, d, ts_style))
        if outlet.get("latest"):
            out.append("LATEST")
            for h in other_headlines[k:]:
                out.append(h)
                out.append(_fmt_date(rng, pub, "hm_dmy"))
    out.extend(outlet["footer"])
    bottom = "\n".join(out)
    text = top + "\n" + middle + ("\n\n" + bottom if bottom else "")
    return name, text


def corpus_paths(out_dir: Path, n: int, seed: int, start: int = 0) -> list[Path]:
    return [out_dir / generate_article(seed, i)[0] for i in range(start, start + n)]


def _write_range(args: tuple[str, int, int, int]) -> tuple[int, int, int]:
    out_dir, seed, lo, hi = args
    base = Path(out_dir)
    n_words = 0
    n_bytes = 0
    made: set[str] = set()
    for i in range(lo, hi):
        rel, text = generate_article(seed, i)
        shard = rel.split("/", 1)[0]
        if shard not in made:
            (base / shard).mkdir(parents=True, exist_ok=True)
            made.add(shard)
        data = text.encode("utf-8")
        with open(base / rel, "wb") as fh:
            fh.write(data)
        n_words += len(text.split())
        n_bytes += len(data)
    return hi - lo, n_words, n_bytes


def generate_corpus(out_dir: str | Path, n: int, seed: int = 7, *, start: int = 0, jobs: int = 1) -> dict:
    """Write articles ``start .. start+n-1`` of corpus ``seed`` into ``out_dir``.

    Returns ``{"n", "seed", "start", "words", "bytes", "elapsed_s"}``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    step = SHARD_SIZE
    chunks = [(str(out), seed, lo, min(lo + step, start + n)) for lo in range(start, start + n, step)]
    if jobs > 1 and len(chunks) > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_write_range, chunks, chunksize=1)
    else:
        results = [_write_range(c) for c in chunks]
    return {
        "n": sum(r[0] for r in results), "seed": seed, "start": start,
        "words": sum(r[1] for r in results), "bytes": sum(r[2] for r in results),
        "elapsed_s": round(time.perf_counter() - t0, 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of articles to write")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True, help="output folder (sharded into NNN/ subfolders)")
    ap.add_argument("--start", type=int, default=0, help="index of the first article (to extend a corpus)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    a = ap.parse_args(argv)
    stats = generate_corpus(a.out, a.n, a.seed, start=a.start, jobs=a.jobs)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
