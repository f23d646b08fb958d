"""The closed lists, declared once: event types, statuses, topics, organisation codes.

Everything that names a type, a status, a topic or an organisation code reads it from here: the event rules, the
table checks, ``dbt_like_sql/schema.yml``'s accepted values and per-type columns (``values_from:``, ``for_each:``),
the SQL models (through the ``vocabulary_*`` tables the SQL-model stage writes), contact grouping (which types are
remote), the report's palette and legend and the benchmark's corpus generator. Adding an event type or a topic is
one record below (and, for a type, the trigger rules that find it in ``stages/events``, and its weight and
sentence templates in ``bench/``). ``defcomm_tests/core/test_vocabulary.py`` adds a made-up type and topic and
follows them to the checks, the SQL models and the report.

Code that must see the lists as they are when it runs (the checks, the SQL models, the report) reads the module's
attributes at call time (``vocabulary.EVENT_TYPES``), not names bound by ``from ... import`` at import time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    name: str  # the value of events.event_type
    label: str  # how the report names it
    color: str  # the report's colour (Okabe-Ito colour-blind-safe set, plus a brown)
    description: str
    remote: bool = False  # held at a distance: reports of two remote types can be one contact (outlets disagree on the medium)
    phrase: str = ""  # how a news sentence reports it ("held a phone call"): the report's sample data writes it


@dataclass(frozen=True)
class Topic:
    name: str  # a value of events.topics
    description: str


EVENT_TYPE_RECORDS: tuple[EventType, ...] = (
    EventType("call", "Phone call", "#0072B2",
              "Telephone conversation; also a conversation of unstated medium that is clearly remote.",
              remote=True, phrase="held a phone call"),
    EventType("video_call", "Video call", "#56B4E9", "Video conference or video link.",
              remote=True, phrase="spoke by video link"),
    EventType("meeting", "Meeting", "#D55E00",
              "In-person meeting or talks, on the sidelines of a summit, receiving a delegation.", phrase="met"),
    EventType("visit", "Visit", "#009E73", "An official visit of one side to the other's country or institution.",
              phrase="visited"),
    EventType("negotiation", "Negotiation", "#CC79A7",
              "Formal negotiations or consultations on an agreement, begun, held or concluded.", phrase="held talks"),
    EventType("agreement", "Agreement", "#E69F00",
              "An agreement, memorandum, contract, declaration or joint statement signed or concluded.",
              phrase="signed a cooperation agreement"),
    EventType("invitation", "Invitation", "#8C564B", "One side invites the other to visit or meet.",
              phrase="sent an invitation"),
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
# The civil organisations among them: a contact where only they and states act needs a defence word to count.
CIVIL_ORGANISATIONS: frozenset[str] = frozenset({"UN", "EU", "OSCE"})

EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in EVENT_TYPE_RECORDS)
EVENT_STATUSES: tuple[str, ...] = tuple(EVENT_STATUS_DESCRIPTIONS)
TOPICS: tuple[str, ...] = tuple(t.name for t in TOPIC_RECORDS)
ORGANISATION_CODES: frozenset[str] = frozenset(ORGANISATION_NAMES)
EVENT_TYPE_BY_NAME: dict[str, EventType] = {t.name: t for t in EVENT_TYPE_RECORDS}
