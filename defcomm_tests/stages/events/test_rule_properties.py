"""Invariants of the event rules on arbitrary text and mentions (hypothesis)."""
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from defcomm_assets.core.records import Mention
from defcomm_assets.core.sentences import split_sentences
from defcomm_assets.core.vocabulary import EVENT_STATUSES, EVENT_TYPES, TOPICS
from defcomm_assets.stages.events.rules import extract_events

WORDS = ["met", "held", "talks", "with", "phone", "call", "visit", "to", "in", "signed", "agreement", "the",
         "will", "meet", "on", "Friday", "invited", "video", "conference", "negotiations", "and", "his",
         "counterpart", "He", "The", "two", "ministers", "discussed", "air", "defence", ".", ",", "\n", "“", "”"]
NAMES = [("Anna Kowalska", "PL"), ("Ivan Petrenko", "UA"), ("John Smith", "GB"), ("Poland", "PL"), ("Ukraine", "UA"),
         ("NATO", "NATO"), ("Polish", "PL"), ("Kyiv", "UA")]


@st.composite
def documents(draw):
    parts, mentions, pos = [], [], 0
    for _ in range(draw(st.integers(0, 60))):
        if draw(st.booleans()):
            name, cc = draw(st.sampled_from(NAMES))
            label = "PERSON" if " " in name else ("NORP" if name.endswith("ish") else ("ORG" if name == "NATO" else "GPE"))
            mentions.append(Mention(label, name, pos, pos + len(name), name, cc if draw(st.booleans()) else None,
                                    None, f"{label}:{name}", f"id:{name}" if label == "PERSON" else None))
            tok = name
        else:
            tok = draw(st.sampled_from(WORDS))
        parts.append(tok)
        pos += len(tok) + 1
    return " ".join(parts), mentions


@settings(max_examples=150, deadline=None)
@given(documents(), st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))))
def test_events_respect_the_contract_on_any_input(doc, published):
    text, mentions = doc
    for e in extract_events(text, mentions, published):
        assert e.event_type in EVENT_TYPES and e.status in EVENT_STATUSES
        assert set(e.topics) <= set(TOPICS)
        assert len({p.country_code for p in e.participants}) >= 2
        assert all(p.country_code for p in e.participants)
        assert text[e.evidence_start:e.evidence_end] == e.evidence and e.evidence.strip()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", ". ", " ", "\n", "? ", "!", "”", "“", "Mr. ", "U.S. ", "Gen. ", "J. ", "é"]),
                max_size=80).map("".join))
def test_sentences_are_ordered_disjoint_slices(text):
    last = 0
    for s in split_sentences(text):
        assert last <= s.start < s.end <= len(text)
        assert text[s.start:s.end].strip() == text[s.start:s.end]
        last = s.end
