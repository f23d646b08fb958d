"""Property tests: the pure stages never raise on arbitrary text, and every offset they report points into it.

Two kinds of input: arbitrary Unicode (robustness), and texts assembled from defence-news vocabulary
(so the rules actually fire: officials, offices, countries, triggers, dates). Examples are derandomized,
so a run is reproducible, and kept few so the suite stays fast.
"""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defcomm_assets.core.records import Mention
from defcomm_assets.core.vocabulary import EVENT_STATUSES, EVENT_TYPES, TOPICS

LABELS = {"PERSON", "ORG", "GPE", "NORP", "ROLE"}
FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# Pieces of defence news (general knowledge, written for these tests) plus page furniture and odd characters.
WORDS = [
    "Defence Minister", "Minister of Defence", "Ukrainian", "Polish", "Lithuanian", "German", "British", "French",
    "Rustem Umerov", "Władysław Kosiniak-Kamysz", "Boris Pistorius", "John Healey", "Lloyd Austin", "Mark Rutte",
    "NATO Secretary General", "Chief of the General Staff", "Mr Umerov", "his counterpart", "counterparts",
    "held a phone call with", "spoke by phone with", "met", "met with", "visited", "will visit", "invited",
    "signed an agreement with", "held talks with", "a video conference with", "discussed", "air defence",
    "drones", "training", "joint exercises", "the front line", "military aid", "in Kyiv", "in Warsaw",
    "in Brussels", "Ukraine", "Poland", "Lithuania", "Germany", "the United States", "on Monday", "on 12 March",
    "on 3 January 2025", "yesterday", "next week", "said", "according to", "the ministry", "Ministry of Defence",
    "and", "with", "of", "the", "a", "he", "she", "they", "both", ",", ".", ";", ":", "—", "–", "(", ")", "\"",
    "“", "”", "’s", "'s", "\n", "\n\n", "  ", "\t", "Share", "Subscribe", "Read more", "Home | News | Defence",
    "© 2025", "Photo:", "12:45", "2025-03-12", "•", "*", "#", "[link](http://x.y)", "<b>", "</b>", "&amp;",
    "\u00a0", "\u200b", "\ufeff", "e\u0301", "İ", "ß", "ﬁ", "Ⅻ", "😀", "\r\n", "\r", "\x0c",
]

news_text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=80).map(
    lambda parts: " ".join(parts).replace(" \n ", "\n"))
any_text = st.text(max_size=400)
mixed_text = st.one_of(any_text, news_text, st.tuples(news_text, any_text, news_text).map("".join))
dates = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))


def _nlp():
    from defcomm_assets.stages.entities.pipeline import get_pipeline

    return get_pipeline(None)


# --- cleaning ----------------------------------------------------------------------------------------


@FAST
@given(raw=mixed_text, name=st.sampled_from(["a.txt", "page.html", "", "notes.md"]))
def test_clean_document_never_raises_and_is_well_formed(raw, name):
    from defcomm_assets.stages.clean_documents.cleaning import clean_document

    c = clean_document(raw, name)
    assert isinstance(c.clean_text, str)
    assert isinstance(c.language, str) and c.language
    assert c.title is None or isinstance(c.title, str)
    assert c.published_date is None or isinstance(c.published_date, date)
    assert (c.published_date is None) == (c.published_date_source is None)
    assert 0 <= c.lines_removed <= c.lines_total
    assert c.chars_removed >= 0


plain_words = st.lists(st.sampled_from([w for w in WORDS if not any(ch in w for ch in "<>#[]()&*•\u200b\ufeff")]),
                       min_size=1, max_size=80).map(" ".join)


@FAST
@given(raw=plain_words)
def test_clean_text_keeps_words_verbatim(raw):
    """The cleaner drops lines and tidies whitespace; it never invents or alters words (plain text input)."""
    import unicodedata

    from defcomm_assets.stages.clean_documents.cleaning import clean_document

    c = clean_document(raw, "a.txt")
    raw_tokens = set(unicodedata.normalize("NFC", raw).split())
    assert set(c.clean_text.split()) <= raw_tokens


# --- entities ----------------------------------------------------------------------------------------


def _check_mentions(text: str, mentions: list[Mention]) -> None:
    for m in mentions:
        assert 0 <= m.start_char < m.end_char <= len(text), m
        assert text[m.start_char:m.end_char] == m.text, m
        assert m.label in LABELS, m


@SLOW
@given(text=mixed_text)
def test_pipeline_and_mentions_never_raise_and_offsets_point_into_the_text(text):
    from defcomm_assets.stages.entities.mentions import extract_mentions

    doc = _nlp()(text)
    assert doc.text == text
    _check_mentions(text, extract_mentions(doc))


@SLOW
@given(texts=st.lists(news_text, min_size=1, max_size=6))
def test_batched_pipeline_matches_one_by_one(texts):
    """nlp.pipe (what the stage uses) gives each document the same mentions as nlp(text)."""
    from defcomm_assets.stages.entities.mentions import extract_mentions

    nlp = _nlp()
    piped = [extract_mentions(d) for d in nlp.pipe(texts, batch_size=3)]
    for text, ms in zip(texts, piped):
        _check_mentions(text, ms)
        assert ms == extract_mentions(nlp(text))


# --- events ------------------------------------------------------------------------------------------


def _check_events(text: str, events) -> None:
    for e in events:
        assert 0 <= e.evidence_start <= e.evidence_end <= len(text), e
        assert text[e.evidence_start:e.evidence_end] == e.evidence, e
        assert e.evidence.strip(), e
        assert e.event_type in EVENT_TYPES, e
        assert e.status in EVENT_STATUSES, e
        assert set(e.topics) <= set(TOPICS), e
        assert e.event_date is None or isinstance(e.event_date, date)


@SLOW
@given(text=mixed_text, published=dates, title=st.one_of(st.none(), news_text))
def test_extract_events_never_raises_and_evidence_is_verbatim(text, published, title):
    from defcomm_assets.stages.entities.mentions import extract_mentions
    from defcomm_assets.stages.events.rules import extract_events

    mentions = extract_mentions(_nlp()(text))
    _check_events(text, extract_events(text, mentions, published, title))


@st.composite
def text_with_arbitrary_mentions(draw):
    """Mentions the NLP would not produce (any label, country, role, overlapping spans) but that are valid spans."""
    text = draw(news_text.filter(bool))
    n = draw(st.integers(0, 8))
    mentions = []
    for _ in range(n):
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, min(len(text), a + 40)))
        mentions.append(Mention(
            label=draw(st.sampled_from(sorted(LABELS))), text=text[a:b], start_char=a, end_char=b,
            canonical_name=text[a:b], country_code=draw(st.sampled_from([None, "UA", "PL", "US", "NATO", "EU", "XX"])),
            role=draw(st.sampled_from([None, "Minister of Defence", "Chief of the General Staff", ""])),
            key=draw(st.sampled_from(["", "k1", "k2"])), entity_id=draw(st.sampled_from([None, "e1", "e2"]))))
    mentions.sort(key=lambda m: (m.start_char, m.end_char))
    return text, mentions


@SLOW
@given(case=text_with_arbitrary_mentions(), published=dates)
def test_extract_events_survives_odd_mentions(case, published):
    from defcomm_assets.stages.events.rules import extract_events

    text, mentions = case
    _check_events(text, extract_events(text, mentions, published))
