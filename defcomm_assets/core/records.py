"""Plain records passed between the pure stages (no Dagster, no DuckDB).

They are the contract between the modules:

* ``cleaning.clean_document``      -> ``CleanedDocument``
* ``nlp.entities.extract_mentions`` -> ``list[Mention]``  (one spaCy ``Doc``)
* ``nlp.resolve.resolve_entities``  -> ``list[Entity]`` and a mention -> entity_id mapping
* ``event_rules.extract_events``    -> ``list[EventRecord]``

The Dagster assets turn them into rows of the contract tables (see ``db.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CleanedDocument:
    clean_text: str
    title: str | None
    published_date: date | None
    published_date_source: str | None  # which rule of the cascade fired, None when no date
    language: str  # ISO 639-1
    lines_total: int = 0
    lines_removed: int = 0
    chars_removed: int = 0


@dataclass(frozen=True)
class Mention:
    """One entity mention in a clean text, with what the document says about it."""

    label: str  # PERSON, ORG, GPE, NORP, ROLE
    text: str  # verbatim, == clean_text[start_char:end_char]
    start_char: int
    end_char: int
    canonical_name: str  # fullest form of this entity in the document (persons), or the gazetteer name
    country_code: str | None = None  # ISO 3166-1 alpha-2, or an organisation code (vocabulary.ORGANISATION_CODES)
    role: str | None = None  # normalised office, e.g. "Minister of Defence"
    key: str = ""  # document-level identity: mentions of one person in one document share it
    entity_id: str | None = None  # corpus-level identity, filled by nlp.resolve (stored in entity_mentions)


@dataclass(frozen=True)
class Entity:
    entity_id: str  # stable: derived from a canonical key, never from row order
    canonical_name: str
    label: str
    country_code: str | None
    role: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Participant:
    name: str
    country_code: str
    role: str | None = None
    entity_id: str | None = None  # set when the side is a resolved entity (a mention's entity_id)
    is_initiator: bool = False


@dataclass(frozen=True)
class EventRecord:
    event_type: str  # one of core.vocabulary.EVENT_TYPES
    status: str  # occurred, planned
    participants: tuple[Participant, ...]
    evidence: str  # the reporting sentence, verbatim from clean_text
    evidence_start: int
    evidence_end: int
    event_date: date | None = None
    date_source: str | None = None  # which rule of the date cascade fired
    topics: tuple[str, ...] = ()
    location: str | None = None
    rule: str = ""  # which rule produced the event: every row explains itself
    is_main: bool = False
    extra: dict = field(default_factory=dict, compare=False)
