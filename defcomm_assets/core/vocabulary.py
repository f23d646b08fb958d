"""The closed lists, declared once: event types, statuses, topics, organisation codes.

Everything that names a type, a status, a topic or an organisation code reads it from here: the event rules, the
table checks, ``dbt_like_sql/schema.yml``'s accepted values and per-type columns (``values_from:``, ``for_each:``),
the SQL models (through the ``vocabulary_*`` tables the SQL-model stage writes), contact grouping (which types are
remote), the report's palette and legend and the benchmark's corpus generator. Adding an event type or a topic is
one record below (and, for a type, the trigger rules that find it in ``stages/events``, and its weight and
sentence templates in ``bench/``). ``defcomm_tests/core/test_vocabulary.py`` adds a made-up type and topic and
follows them to the checks, the SQL models and the report.

Event data's codes: every event type says how event datasets code it - its CAMEO code (GDELT, ICEWS) for each
direction and status, and through ``CAMEO_CODE_RECORDS`` (PLOVER's own CAMEO crosswalk) its PLOVER type and mode
(POLECAT). ``event_codes`` applies them; the events stage stores the result on every event and side, and the
``event_dyads`` SQL model lays the sides out as directed source -> target rows. The cases the CAMEO and PLOVER
tables leave open (video call, invitation, planned contact, multilateral meeting, meeting in one side's country or
in a third country) are decided in ``docs/EVENT_CODES.md``, with the reasons.

Code that must see the lists as they are when it runs (the checks, the SQL models, the report) reads the module's
attributes at call time (``vocabulary.EVENT_TYPES``), not names bound by ``from ... import`` at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class EventType:
    name: str  # the value of events.event_type
    label: str  # how the report names it
    color: str  # the report's colour (Okabe-Ito colour-blind-safe set, plus a brown)
    description: str
    # held at a distance: reports of two remote types can be one contact (outlets disagree on the medium)
    remote: bool = False
    phrase: str = ""  # how a news sentence reports it ("held a phone call"): the report's sample data writes it
    # CAMEO codes (docs/EVENT_CODES.md): what the first side (the visitor, the inviter; any side of a symmetric
    # type) does to the others when the contact occurred, and what the others do to it (None: they do nothing, no
    # reverse row); when it is planned (both directions, or one for a one-way type); in a third country
    cameo_code: str = field(kw_only=True)
    cameo_code_reverse: str | None = field(kw_only=True)
    cameo_code_planned: str = field(default="036", kw_only=True)
    cameo_code_third_location: str | None = field(default=None, kw_only=True)
    hosted: bool = field(default=False, kw_only=True)  # one side travels to the other's: event_participants.is_host


@dataclass(frozen=True)
class CameoCode:
    """A CAMEO event code and its PLOVER type and mode (PLOVER's CAMEO-to-PLOVER table)."""
    code: str  # three digits, kept as text ("042")
    label: str  # CAMEO's name of the code
    plover_type: str
    plover_mode: str | None = None
    # the mode when three or more countries/organisations take part (None: the code's own mode stays)
    plover_mode_multilateral: str | None = None


@dataclass(frozen=True)
class Country:
    """A country or organisation code of the tables and its CAMEO actor code (ISO 3166-1 alpha-3)."""
    code: str  # as in the tables: ISO 3166-1 alpha-2, or an organisation code (NATO, EU, UN, OSCE)
    alpha3: str  # ISO 3166-1 alpha-3; an organisation keeps its own code
    name: str


@dataclass(frozen=True)
class Topic:
    name: str  # a value of events.topics
    description: str


EVENT_TYPE_RECORDS: tuple[EventType, ...] = (
    EventType("call", "Phone call", "#0072B2",
              "Telephone conversation; also a conversation of unstated medium that is clearly remote.",
              remote=True, phrase="held a phone call", cameo_code="041", cameo_code_reverse="041"),
    EventType("video_call", "Video call", "#56B4E9", "Video conference or video link.",
              remote=True, phrase="spoke by video link", cameo_code="041", cameo_code_reverse="041"),
    EventType("meeting", "Meeting", "#D55E00",
              "In-person meeting or talks, on the sidelines of a summit, receiving a delegation.", phrase="met",
              cameo_code="040", cameo_code_reverse="040", cameo_code_third_location="044"),
    EventType("visit", "Visit", "#009E73", "An official visit of one side to the other's country or institution.",
              phrase="visited", cameo_code="042", cameo_code_reverse="043", hosted=True),
    EventType("negotiation", "Negotiation", "#CC79A7",
              "Formal negotiations or consultations on an agreement, begun, held or concluded.", phrase="held talks",
              cameo_code="046", cameo_code_reverse="046"),
    EventType("agreement", "Agreement", "#E69F00",
              "An agreement, memorandum, contract, declaration or joint statement signed or concluded.",
              phrase="signed a cooperation agreement", cameo_code="057", cameo_code_reverse="057",
              cameo_code_planned="030"),
    EventType("invitation", "Invitation", "#8C564B", "One side invites the other to visit or meet.",
              phrase="sent an invitation", cameo_code="036", cameo_code_reverse=None),
)

# The CAMEO codes the event types use, with PLOVER's type and mode for each (PLOVER's CAMEO-to-PLOVER table;
# 030 and the multilateral mode are defcomm's reading, see docs/EVENT_CODES.md).
CAMEO_CODE_RECORDS: tuple[CameoCode, ...] = (
    CameoCode("030", "Express intent to cooperate, not specified", "AGREE"),
    CameoCode("036", "Express intent to meet or negotiate", "AGREE"),
    CameoCode("040", "Consult, not specified", "CONSULT", None, "multilateral"),
    CameoCode("041", "Discuss by telephone", "CONSULT", "phone"),
    CameoCode("042", "Make a visit", "CONSULT", "visit"),
    CameoCode("043", "Host a visit", "CONSULT", "host"),
    CameoCode("044", "Meet at a 'third' location", "CONSULT", "third-party", "multilateral"),
    CameoCode("046", "Engage in negotiation", "CONSULT", None, "multilateral"),
    CameoCode("057", "Sign formal agreement", "AGREE"),
)

EVENT_STATUS_DESCRIPTIONS: dict[str, str] = {
    "occurred": "Reported as having happened.",
    "planned": "Announced or agreed future contact.",
}

TOPIC_RECORDS: tuple[Topic, ...] = (
    Topic("air_defense", "Air and missile defence."),
    Topic("drones", "Drones, UAVs, counter-drone systems."),
    Topic("training", "Training and military education."),
    Topic("intelligence_sharing", "Sharing of intelligence."),
    Topic("joint_exercises", "Joint exercises and drills."),
    Topic("cybersecurity", "Cyber security and cyber defence."),
    Topic("defense_industry", "Procurement, joint production, arms sales."),
    Topic("military_aid", "Military aid and assistance."),
    Topic("security_guarantees", "Security guarantees, commitments, assurances."),
    Topic("frontline_situation", "The operational situation at the front."),
    Topic("airspace_incident", "Airspace violations and incursions."),
    Topic("border_security", "Border security and incidents."),
    Topic("regional_security", "Regional security and stability."),
    Topic("peace_process", "Peace talks, ceasefires, settlements."),
    Topic("nato_cooperation", "Cooperation with or within NATO."),
    Topic("maritime_security", "Maritime security, navigation, naval matters."),
    Topic("counterterrorism", "Counter-terrorism and extremism."),
    Topic("bilateral_cooperation", "General defence cooperation with nothing more specific."),
)

# Organisations that are sides of contacts in their own right: their officials carry the code as their country.
# (Not "AU": the African Union's code is also Australia's, which is a state.)
ORGANISATION_NAMES: dict[str, str] = {
    "NATO": "NATO",
    "EU": "European Union",
    "UN": "United Nations",
    "OSCE": "OSCE",
    "ASEAN": "ASEAN",
    "CSTO": "Collective Security Treaty Organization",
    "SCO": "Shanghai Cooperation Organisation",
    "GCC": "Gulf Cooperation Council",
    "ECOWAS": "ECOWAS",
    "OAS": "Organization of American States",
    "CIS": "Commonwealth of Independent States",
}
# Where they sit: a contact in one of these countries is at the organisation's home, not in a third country.
ORGANISATION_SEATS: dict[str, frozenset[str]] = {
    "NATO": frozenset({"BE"}),
    "EU": frozenset({"BE", "LU", "FR"}),
    "UN": frozenset({"US", "CH", "AT", "KE"}),
    "OSCE": frozenset({"AT"}),
    "ASEAN": frozenset({"ID"}),
    "CSTO": frozenset({"RU"}),
    "SCO": frozenset({"CN"}),
    "GCC": frozenset({"SA"}),
    "ECOWAS": frozenset({"NG"}),
    "OAS": frozenset({"US"}),
    "CIS": frozenset({"BY"}),
}
# Codes of the tables that ISO 3166-1 (pycountry) lacks: Kosovo's user-assigned code, as the EU and the IMF write it.
EXTRA_ALPHA3: dict[str, tuple[str, str]] = {"XK": ("XKX", "Kosovo")}
# The civil organisations among them: a contact where only they and states act needs a defence word to count.
CIVIL_ORGANISATIONS: frozenset[str] = frozenset({"UN", "EU", "OSCE"})

EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in EVENT_TYPE_RECORDS)
EVENT_STATUSES: tuple[str, ...] = tuple(EVENT_STATUS_DESCRIPTIONS)
TOPICS: tuple[str, ...] = tuple(t.name for t in TOPIC_RECORDS)
ORGANISATION_CODES: frozenset[str] = frozenset(ORGANISATION_NAMES)
EVENT_TYPE_BY_NAME: dict[str, EventType] = {t.name: t for t in EVENT_TYPE_RECORDS}
# types held at a distance (call, video_call): reports of two of them may be one contact, the rules group them
REMOTE_TYPES: tuple[str, ...] = tuple(t.name for t in EVENT_TYPE_RECORDS if t.remote)
CAMEO_CODES: tuple[str, ...] = tuple(c.code for c in CAMEO_CODE_RECORDS)
CAMEO_CODE_BY_CODE: dict[str, CameoCode] = {c.code: c for c in CAMEO_CODE_RECORDS}
PLOVER_TYPES: tuple[str, ...] = tuple(dict.fromkeys(c.plover_type for c in CAMEO_CODE_RECORDS))
PLOVER_MODES: tuple[str, ...] = tuple(dict.fromkeys(
    [c.plover_mode for c in CAMEO_CODE_RECORDS if c.plover_mode]
    + [c.plover_mode_multilateral for c in CAMEO_CODE_RECORDS if c.plover_mode_multilateral]))


@dataclass(frozen=True)
class EventCode:
    """How event datasets code one direction of an event."""
    cameo_code: str
    plover_type: str
    plover_mode: str | None


def _coded(code: str | None, multilateral: bool) -> EventCode | None:
    if code is None:
        return None
    c = CAMEO_CODE_BY_CODE[code]
    mode = c.plover_mode_multilateral if multilateral and c.plover_mode_multilateral else c.plover_mode
    return EventCode(c.code, c.plover_type, mode)


def event_codes(event_type: str, status: str, n_countries: int = 2,
                third_location: bool = False) -> tuple[EventCode, EventCode | None]:
    """(what the first side does to the others, what the others do to it - None for a one-way type) for an event
    of this type and status, with ``n_countries`` countries/organisations, held in a country none of them is at
    home in (``third_location``). The decisions are in docs/EVENT_CODES.md."""
    t = EVENT_TYPE_BY_NAME[event_type]
    if status == "planned":
        forward, reverse = t.cameo_code_planned, t.cameo_code_planned if t.cameo_code_reverse else None
    elif third_location and t.cameo_code_third_location:
        forward, reverse = t.cameo_code_third_location, t.cameo_code_third_location if t.cameo_code_reverse else None
    else:
        forward, reverse = t.cameo_code, t.cameo_code_reverse
    multilateral = n_countries >= 3
    return _coded(forward, multilateral), _coded(reverse, multilateral)


def at_home(code: str, place_country: str | None) -> bool:
    """Whether a side of this country/organisation code is at home in ``place_country``."""
    return place_country is not None and (code == place_country or place_country in ORGANISATION_SEATS.get(code, ()))


@cache
def country_records() -> tuple[Country, ...]:
    """Every ISO 3166-1 country (pycountry) with its alpha-3 code, the codes pycountry lacks (``EXTRA_ALPHA3``) and
    the organisations, which keep their own code (CAMEO's IGO actor codes are composite; defcomm does not guess
    them). Read when the SQL models are built, not at import."""
    import pycountry  # lazy: ~0.3 s of ISO tables, only when the SQL models are built

    out = [Country(c.alpha_2, c.alpha_3, getattr(c, "common_name", None) or c.name) for c in pycountry.countries]
    out += [Country(code, a3, name) for code, (a3, name) in EXTRA_ALPHA3.items()]
    out += [Country(code, code, name) for code, name in ORGANISATION_NAMES.items()]
    return tuple(out)
