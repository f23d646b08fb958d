"""Events: who contacted whom, how, when and about what - each real contact once per article.

``extract_events(text, mentions, published_date, title=None) -> list[EventRecord]``

How a row comes about (every row names its ``rule``):

1. The clean text is split into paragraphs (lines) and sentences by a cheap rule splitter that knows
   titles and initials ("Gen.", "U.S.", "J."). Lines that look like headlines of related-links lists
   (no closing punctuation) and "Read also" lines report nothing.
2. Trigger phrases (compiled once) give candidate types: ``call`` (phone/telephone), ``video_call``
   (video conference/link, virtually), ``meeting`` (met, talks at, received, welcomed, hosted),
   ``visit`` (visit, arrived in, travel to), ``negotiation`` (formal negotiations/rounds),
   ``agreement`` (signed/adopted + agreement/memorandum/communique), ``invitation`` (invited).
   Bare "conversation", "talks", "spoke with", "discussed" are *generic*: they join an explicit contact of
   the same sides in the article, else become a ``meeting`` when travel/place is stated, else a ``call``.
3. Sides come from the entities stage's mentions in the sentence: persons with a country first, then
   bodies/countries that act (not places: "in Riyadh" is a location, "Russian drones" is not an actor).
   Back-references - "he", "the minister", "his counterpart", "the two ministers", "the sides" - take the
   sides of the article's previous contact or its last subject. At least two distinct countries or the
   sentence reports no international contact (domestic meetings drop out here).
4. Status ``planned`` when a future marker governs the trigger ("will", "is set to", "agreed that ...
   will", "next week"), else ``occurred``.
5. Reports of the same sides and type in one article are merged into one event (headline, lead and quote
   of one call are one row); the date, location and topics are gathered from all of its reports.

Pure module: no Dagster, no spaCy model; regexes compiled at import.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from .event_dates import event_date
from .records import EventRecord, Mention, Participant
from .topics import topics_for

# ----------------------------------------------------------------------------------------------
# sentences

_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "adm", "maj", "capt", "sgt", "st", "no", "jr", "sr", "vs",
    "prof", "gov", "sen", "rep", "brig", "cmdr", "cdr", "hon", "rev", "mt", "dept", "corp", "inc", "ltd",
    "co", "messrs", "gens", "lieut", "cpl", "pvt", "fig", "approx", "vol", "art", "para", "pp", "u.s",
    "u.k", "d.c", "e.g", "i.e", "a.m", "p.m", "u.n", "s", "rt", "sec", "amb",
}
_SENT_BREAK = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9\u0400-\u04FF])")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")
_SKIP_LINE = re.compile(
    r"^\W*(?:read (?:also|more)|see also|also read|related|more about|latest|tags?:|share|advertis|subscribe|"
    r"photo(?:graph)?:|©|follow us|sign up)", re.I)
_CLOSED_LINE = re.compile(r"[.!?…:;,\"'”’)\]»]\s*$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    para: int
    reportable: bool  # False for headline-like lines (no closing punctuation) and link lines


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    para = 0
    for line in text.split("\n"):
        lstart, lend = pos, pos + len(line)
        pos = lend + 1
        stripped = line.strip()
        if not stripped:
            continue
        para += 1
        reportable = bool(_CLOSED_LINE.search(stripped)) and not _SKIP_LINE.match(stripped)
        if not reportable and len(stripped.split()) > 30:
            reportable = not _SKIP_LINE.match(stripped)  # long unpunctuated body text (cut-off paragraph)
        s = lstart + (len(line) - len(line.lstrip()))
        for m in _SENT_BREAK.finditer(line):
            cut = lstart + m.start()
            w = _WORD_BEFORE.search(line[: m.start()])
            word = (w.group(1) if w else "").lower().strip(".")
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            e = lstart + m.end()
            seg_end = cut + len(m.group(0).rstrip())
            if seg_end > s:
                out.append(Sentence(s, seg_end, para, reportable))
            s = e
        e = lend - (len(line) - len(line.rstrip()))
        if e > s:
            out.append(Sentence(s, e, para, reportable))
    return out


# ----------------------------------------------------------------------------------------------
# triggers

def _rx(p: str) -> re.Pattern:
    return re.compile(p, re.I)


# (type, pattern, rule name). "generic" = contact of unstated medium.
_TRIGGERS: list[tuple[str, re.Pattern, str]] = [
    ("video_call", _rx(r"\bvideo[- ]?(?:conference|conferencing|call|link|meeting|format|talks?)s?\b|\bvideoconferenc\w*|"
                       r"\bvirtual(?:ly)?\b(?:\s+(?:meeting|talks|conversation|format))?|\bvia video\b|\bonline (?:meeting|talks|conversation)\b"),
     "video"),
    ("call", _rx(r"\b(?:tele)?phone[- ]?(?:call|conversation|talks?|discussion|contact)s?\b|\btelephonic(?:ally)?\b(?:\s+(?:discussion|conversation|talks))?|"
                 r"\bteleconference\b|\bspoke\s+(?:by|on the|over the|via)\s+(?:tele)?phone\b|\bby (?:tele)?phone\b|\bphoned\b|\btelephoned\b|"
                 r"\b(?:had|held|hold|holds|having|made|make|received|receives|took|take|in|during|a|the|this|their)\s+(?:a\s+|an\s+|the\s+)?(?:rare\s+|brief\s+|first\s+|second\s+|lengthy\s+|long\s+)?call\b(?!\s+(?:on|for)\b)"),
     "phone"),
    ("invitation", _rx(r"\binvit(?:ed|es|e|ing|ation)\b"), "invite"),
    ("agreement", _rx(r"\b(?:sign(?:ed|s|ing)?|ink(?:ed|s)?|conclud(?:ed|e)|adopt(?:ed|s)?|issued)\b[^.;]{0,80}?\b(?:agreements?|memorand(?:um|a)|MoUs?|communiqu[eé]s?|declarations?|contracts?|accords?|pacts?|deals?|treat(?:y|ies)|protocols?|roadmaps?|road maps?|letters? of intent)\b|"
                      r"\b(?:agreements?|memorand(?:um|a)|MoUs?|contracts?|accords?|pacts?|deals?|treat(?:y|ies)|protocols?)\b[^.;]{0,60}?\b(?:(?:was|were|will be|is to be|to be)\s+signed|signing)\b|"
                      r"\bjoint (?:communiqu[eé]|statement|declaration)\b"), "sign"),
    ("negotiation", _rx(r"\bnegotiat(?:ions?|ing|ed|e)\b|\bconsultations\b|\bround of\b[^.;]{0,50}?\b(?:talks|meeting|dialogue|consultations|negotiations)\b|\b(?:level|format) talks\b"),
     "negotiate"),
    ("visit", _rx(r"\bvisit(?:s|ed|ing)?\b|\barriv(?:ed|es|e|ing)\s+(?:in|at)\b|\btravel(?:s|led|ed|ling|ing)?\s+to\b|\b(?:trip|tour|journey)\s+to\b"),
     "visit"),
    ("meeting", _rx(r"\bmet\b|\bmeet(?:s|ing|ings)?\b|\bheld talks\b|\bhold(?:s|ing)? talks\b|\btalks (?:at|in)\b|\breceived\b(?!\s+(?:a\s+|on\s+\w+\s+)?(?:tele)?(?:phone|call))|\breceives\b|"
                    r"\bwelcom(?:ed|es|ing)\b|\bhosted\b|\bhosts\b|\bcall(?:ed|s)? on\b|\bsidelines\b|\binterview with\b|\bbilateral talks\b|\battended\b|"
                    r"\btook part\b|\bparticipated\b|\bsession\b|\bgathering\b|\b(?:three|four)-way discussion\b|\btrilateral\b|\bin-person\b|\bface-to-face\b"),
     "meet"),
    ("generic", _rx(r"\bconversations?\b|\btalks?\b|\bspoke\b|\bspeak(?:s|ing)?\s+(?:to|with)\b|\btalked\b|\bdiscuss(?:ed|es|ing|ion|ions)?\b|\binteract(?:ed|ion)\b|\bdialogue\b|\bexchanged views\b|\bcontact\b"),
     "talk"),
]
_NOT_CONTACT = _rx(r"\b(?:hoax|prank|impost[eo]r|fake|bogus|pranksters?)\b")
_PEACE_TALK_NOISE = _rx(r"\b(?:talk(?:s|ed)? about|spoke about|spoke of|talks? of)\b")
_IN_PERSON = _rx(r"\bvisit|\barriv|\btravel|\bsidelines\b|\bheadquarters\b|\bhosted\b|\breceived\b|\bwelcom|\bdelegation|\bsummit\b|"
                 r"\bin-person\b|\bface-to-face\b|\bministerial\b|\bmeeting point\b|\bat the\b")
_NEGOTIATION_FORMAL = _rx(r"\bround\b|\bagreement\b|\bdeal\b|\btreaty\b|\bceasefire\b|\bcease-fire\b|\bsettlement\b|\bdelegations?\b|"
                          r"\blaunch|\bbeg[ia]n\b|\bbegun\b|\bstart|\bcommencement\b|\bcompleted\b|\bconcluded\b|\bheld\b|\bwill (?:hold|take place)\b|\bparameters\b|"
                          r"\bcost[- ]sharing\b|\bguarantee|\bcommitments\b|\bnegotiators?\b|\bnegotiating team\b")
# a sign/adopt object that is not a bilateral document ("signed a decree", "adopted a law")
_CALL_ON = _rx(r"\bcall(?:ed|s)? on\b")

# ----------------------------------------------------------------------------------------------
# status

_FUTURE = _rx(r"\bwill\b|\bshall\b|['’]ll\b|\b(?:is|are|was|were) set to\b|\bscheduled\b|\bplan(?:s|ned|ning)?\s+to\b|\b(?:is|are)\s+to\s+(?:meet|hold|visit|sign|begin|start|take)\b|"
              r"\bto be (?:held|signed)\b|\bexpected to\b|\bshould be (?:held|signed)\b|\bupcoming\b|\bnext (?:week|month|year)\b|\btomorrow\b|\bpreparing\b|"
              r"\bgoing to\b|\bintends? to\b|\bwould (?:meet|hold|visit|sign|travel)\b|\bforthcoming\b|\bin the near future\b|\bsoon\b|\bhope to\b|\bset to begin\b|\bplan\b")
_PAST_NEAR = _rx(r"\b(?:met|held|signed|visited|spoke|arrived|received|welcomed|completed|launched|began|had|hosted|discussed|talked|took place|was held|were held|adopted|concluded|attended|paid)\b")


def _status(sent: str, t0: int, t1: int, etype: str) -> str:
    if etype == "invitation":
        window = sent[max(0, t0 - 40):t0]
        return "planned" if re.search(r"\bwill\b|\bto invite\b|\bplans? to\b", window, re.I) else "occurred"
    lo = max(0, t0 - 90)
    # the clause: stop at a sentence-internal boundary before the trigger that starts a new clause
    pre = sent[lo:t0]
    cut = max(pre.rfind("; "), pre.rfind(" – "), pre.rfind(" - "), pre.rfind(": "))
    if cut >= 0:
        pre = pre[cut + 2:]
    post = sent[t0:min(len(sent), t1 + 45)]
    trig = sent[t0:t1]
    if _PAST_NEAR.match(trig) or re.match(r"(?:met|held|signed|visited|spoke|arrived|received|welcomed|hosted|attended)\b", trig, re.I):
        # a past verb as the trigger itself: occurred unless an auxiliary future governs it ("will have met" rare)
        return "occurred"
    if _FUTURE.search(pre) or re.search(r"^\S+\s+(?:\w+\s+){0,3}(?:will|is set to|are set to|is scheduled|are scheduled|to be held|would)\b", post, re.I):
        # "will" far before a past tense verb nearer the trigger is not about it
        last_past = None
        for m in _PAST_NEAR.finditer(pre):
            last_past = m
        fut = None
        for m in _FUTURE.finditer(pre):
            fut = m
        if last_past and fut and last_past.start() > fut.start():
            return "occurred"
        return "planned"
    return "occurred"


# ----------------------------------------------------------------------------------------------
# sides

_LOC_PREP = re.compile(r"(?:\b(?:in|at|near|over|across|into|from|throughout|within|inside|around|towards?|against|about|on|for|under|via|through|across|along|by|beyond|off)\s+(?:the\s+)?$)", re.I)
_TO_PREP = re.compile(r"\b(?:to|in|visiting|visited|visits|visit)\s+(?:the\s+)?$", re.I)
_OF_ACTOR = re.compile(r"\b(?:ministry|ministries|minister|ministers|delegations?|government|governments|leaders?|representatives?|side|sides|president|presidents|army|armies|chiefs?|heads?|militar(?:y|ies)|defen[cs]e|prime ministers?|authorities|forces|commanders?|officials?|teams?|secretary|department)\s+of\s+(?:the\s+)?$", re.I)
_ACTOR_NOUN = re.compile(
    r"^(?:\s*(?:and|,)\s*\w+)?\s*(?:['’]s\s+)?(?:\w+\s+){0,2}?(?:ministers?|ministry|ministries|presidents?|prime ministers?|premiers?|counterparts?|colleagues?|delegations?|side|sides|team|government|officials?|"
    r"leaders?|chiefs?|generals?|commanders?|army|military|armed forces|secretary|ambassadors?|envoys?|negotiators?|authorities|partners|head|heads|representatives?|navy|air force|defen[cs]e (?:minister|ministry|chief|secretary|department|officials?|forces)|troops|forces|counterpart)\b",
    re.I)
_COUNTERPART = re.compile(r"\b(?:his|her|their|its)\s+(?:(?:\w+|[A-Z][\w-]+)\s+){0,2}?(?:counterparts?|colleagues?|opposite numbers?|hosts?|guests?)\b", re.I)
_GROUP_REF = re.compile(
    r"\b(?:the two|both|the three|the)\s+(?:\w+\s+){0,2}?(?:ministers|sides|parties|leaders|officials|generals|chiefs|delegations|countries|heads|counterparts|commanders|presidents|men|nations|states)\b|"
    r"\b(?:they|their|them)\b", re.I)
_SUBJ_PRONOUN = re.compile(r"^\W*(?:\w+,\s+)?(?:he|she|the (?:\w+\s+){0,3}?(?:minister|president|secretary|general|chief|commander|head|premier|leader|admiral))\b", re.I)
_MULTI_SPLIT = re.compile(r"\bas well as\b|\band (?:also )?with\b|\bbesides\b|\bseparately\b|\brespectively\b|\bthen\b", re.I)
_JOINT = re.compile(r"\bjoint\b|\btrilateral\b|\bthree-way\b|\bfour-way\b|\bmultilateral\b|\bbetween\b|\bmeeting of\b|\bsession\b|\bministerial\b|\bof (?:the )?(?:\w+ )?ministers\b", re.I)
_INITIATIVE = re.compile(r"\b(?:at|on) the (?:initiative|request) of\s+(?:the\s+)?(\w+(?:\s+\w+)?)|\binitiated (?:by|at the request of)\s+(?:the\s+)?(\w+(?:\s+\w+)?)|\breceived\b[^.]{0,40}\bcall from\b", re.I)


@dataclass
class _Side:
    name: str
    cc: str
    role: str | None = None
    entity_id: str | None = None
    key: str = ""
    pos: int = 0
    person: bool = False


def _side_of(m: Mention, person_like: bool | None = None) -> _Side:
    return _Side(name=m.canonical_name or m.text, cc=m.country_code or "", role=m.role, entity_id=m.entity_id,
                 key=m.key or f"{m.label}:{m.canonical_name or m.text}", pos=m.start_char,
                 person=m.label == "PERSON" if person_like is None else person_like)


@dataclass
class _Cand:
    etype: str
    rule: str
    status: str
    sides: list[_Side]
    sent: Sentence
    t0: int  # trigger offset in text
    t1: int
    initiator_cc: str | None = None
    location: str | None = None
    event_date: date | None = None
    date_source: str | None = None
    reports: list[Sentence] = field(default_factory=list)


def _dedupe(sides: list[_Side]) -> list[_Side]:
    out: list[_Side] = []
    for s in sides:
        if not s.cc:
            continue
        dup = next((o for o in out if (s.person and o.person and (s.key == o.key or (s.entity_id and s.entity_id == o.entity_id)))
                    or (not s.person and not o.person and s.cc == o.cc)), None)
        if dup is not None:
            continue
        # a body/country side adds nothing next to a person of the same country
        if not s.person and any(o.person and o.cc == s.cc for o in out):
            continue
        if s.person:
            out = [o for o in out if o.person or o.cc != s.cc]
        out.append(s)
    return out


def _countries(sides: list[_Side]) -> frozenset[str]:
    return frozenset(s.cc for s in sides if s.cc)


class _Doc:
    """Per-call state: text, mentions indexed by offset, person frequencies."""

    def __init__(self, text: str, mentions: Sequence[Mention]):
        self.text = text
        ms = sorted((m for m in mentions if 0 <= m.start_char < m.end_char <= len(text)), key=lambda m: (m.start_char, -m.end_char))
        self.mentions = ms
        self.starts = [m.start_char for m in ms]
        self.freq = Counter(m.key for m in ms if m.label == "PERSON" and m.key)

    def in_span(self, a: int, b: int) -> list[Mention]:
        i = bisect.bisect_left(self.starts, a)
        out = []
        while i < len(self.mentions) and self.mentions[i].start_char < b:
            m = self.mentions[i]
            if m.end_char <= b:
                out.append(m)
            i += 1
        return out


def _is_actor_place(doc: _Doc, m: Mention, sent_start: int, etype: str, ms: list[Mention]) -> str | None:
    """For GPE/NORP/ORG mentions: 'side', 'host' (visit destination) or None (a place or a modifier)."""
    text = doc.text
    before = text[max(sent_start, m.start_char - 40):m.start_char]
    after = text[m.end_char:m.end_char + 60]
    if m.label == "NORP":
        return "side" if _ACTOR_NOUN.match(after) else None
    # coordination: "India and China", "Poland, Romania and Turkey" - inherit from the first conjunct
    mm = re.search(r"(?:,|\band\b|&)\s*(?:the\s+)?$", before)
    if mm:
        prev = [o for o in ms if o.end_char <= m.start_char and m.start_char - o.end_char <= 8 and o.label in ("GPE", "ORG", "NORP")]
        if prev:
            return _is_actor_place(doc, prev[-1], sent_start, etype, ms)
    if etype in ("visit",) and _TO_PREP.search(before):
        return "host"
    if _OF_ACTOR.search(before):
        return "side"
    if re.search(r"\bof\s+(?:the\s+)?$", before):
        return None
    if _LOC_PREP.search(before):
        return None
    if re.match(r"\s*['’]s\b", after):
        return "side" if _ACTOR_NOUN.match(after[after.find("s") + 1:]) else None
    if re.match(r"\s*(?:,\s*(?:the\s+)?)?(?:capital|city|region|province|state|border|territory|airspace|skies|soil|coast|waters)\b", after, re.I):
        return None
    return "side"


def _sentence_sides(doc: _Doc, sent: Sentence, etype: str, t0: int) -> tuple[list[_Side], list[_Side], list[str]]:
    """(person sides, body/country sides, location names) stated in the sentence."""
    ms = doc.in_span(sent.start, sent.end)
    persons: list[_Side] = []
    bodies: list[_Side] = []
    locs: list[str] = []
    person_spans = [(m.start_char, m.end_char) for m in ms if m.label == "PERSON"]
    for m in ms:
        if m.label == "PERSON":
            if m.country_code:
                persons.append(_side_of(m))
            continue
        if not m.country_code:
            if m.label == "GPE":
                locs.append(m.text)
            continue
        if m.label == "ROLE":
            # a title attached to a named person adds nothing; a free one ("the Turkish minister") is a person-like side
            if any(abs(m.end_char - a) <= 3 or abs(m.start_char - b) <= 3 or (a <= m.start_char < b) for a, b in person_spans):
                continue
            if any(m.start_char <= a <= m.end_char + 25 for a, _ in person_spans):
                continue
            s = _side_of(m, person_like=True)
            s.key = f"ROLE:{m.country_code}"
            s.name = ""  # resolved later to the last person of that country
            bodies.append(s)
            continue
        if any(a <= m.start_char < b for a, b in person_spans):
            continue
        kind = _is_actor_place(doc, m, sent.start, etype, ms)
        if kind is None:
            if m.label == "GPE":
                locs.append(m.text)
            continue
        s = _side_of(m, person_like=False)
        if kind == "host":
            s.key = "HOST"
        bodies.append(s)
    return persons, bodies, locs


def _initiator_cc(sent: str, sides: list[_Side]) -> str | None:
    m = _INITIATIVE.search(sent)
    if not m:
        return None
    if m.group(0).lower().startswith("received"):
        # "X received a call from Y": Y initiated - the side mentioned after "from"
        after = m.end()
        later = [s for s in sides if s.pos >= 0]
        return None if not later else None
    words = (m.group(1) or m.group(2) or "").lower()
    for s in sides:
        if s.name and s.name.lower().split()[0] in words:
            return s.cc
    return None


# ----------------------------------------------------------------------------------------------
# main


def _find_triggers(s: str) -> list[tuple[str, int, int, str]]:
    found: list[tuple[str, int, int, str]] = []
    for etype, rx, rule in _TRIGGERS:
        for m in rx.finditer(s):
            found.append((etype, m.start(), m.end(), rule))
    if not found:
        return found
    found.sort(key=lambda x: x[1])
    types = {f[0] for f in found}
    # "called on the prime minister" is a courtesy meeting, not a phone call
    if "call" in types:
        for etype, a, b, rule in list(found):
            if etype == "call" and _CALL_ON.match(s, a) is None and re.match(r"call(?:ed|s)? on\b", s[a:], re.I):
                found.remove((etype, a, b, rule))
    # an invitation swallows the visit/meeting it invites to
    inv = [f for f in found if f[0] == "invitation"]
    if inv:
        first = inv[0][1]
        found = [f for f in found if not (f[0] in ("visit", "meeting", "generic") and f[1] > first)]
    # a negotiation or agreement sentence: "talks"/"meeting" inside it are the same contact
    types = {f[0] for f in found}
    if "negotiation" in types:
        if not _NEGOTIATION_FORMAL.search(s):
            found = [(("generic",) + f[1:]) if f[0] == "negotiation" else f for f in found]
        else:
            found = [f for f in found if f[0] not in ("generic",) and not (f[0] == "meeting" and re.match(r"meet", s[f[1]:], re.I) and "round" in s.lower())]
    types = {f[0] for f in found}
    # explicit medium: the generic words are that contact
    if types & {"call", "video_call"}:
        found = [f for f in found if f[0] != "generic"]
        if "video_call" in types and "call" in types:
            # "video call" patterns beat the bare "call" inside them; a teleconference about virtual talks stays a call
            vids = [f for f in found if f[0] == "video_call"]
            calls = [f for f in found if f[0] == "call"]
            if any(c[1] < v[1] and re.search(r"virtual", s[v[1]:v[2]], re.I) for c in calls for v in vids):
                found = [f for f in found if f[0] != "video_call"]
            else:
                found = [f for f in found if f[0] != "call" or not any(v[1] <= f[1] < v[2] + 6 for v in vids)]
        # a call sentence: "meeting" words are the call's own ("video meeting")
        found = [f for f in found if not (f[0] == "meeting" and re.match(r"meet", s[f[1]:], re.I))]
    types = {f[0] for f in found}
    if "meeting" in types:
        found = [f for f in found if f[0] != "generic"]
    return found


def extract_events(text: str, mentions: Sequence[Mention], published_date: date | None,
                   title: str | None = None) -> list[EventRecord]:
    if not text:
        return []
    doc = _Doc(text, mentions)
    sents = split_sentences(text)
    cands: list[_Cand] = []
    last_subject: _Side | None = None
    last_event: _Cand | None = None
    last_person_by_cc: dict[str, _Side] = {}
    para_first: dict[int, int] = {}

    for si, sent in enumerate(sents):
        para_first.setdefault(sent.para, si)
        s = text[sent.start:sent.end]
        persons, bodies, locs = _sentence_sides(doc, sent, "meeting", sent.start)
        triggers = _find_triggers(s) if sent.reportable else []
        if triggers and _NOT_CONTACT.search(s):
            triggers = []
        made_here: list[_Cand] = []
        for etype, a, b, rule in _dedupe_trigger_types(triggers):
            t0, t1 = sent.start + a, sent.start + b
            if etype == "visit":
                persons_v, bodies_v, locs_v = _sentence_sides(doc, sent, "visit", t0)
            else:
                persons_v, bodies_v, locs_v = persons, bodies, locs
            sides = _resolve_sides(doc, s, sent, etype, persons_v, bodies_v, last_subject, last_event,
                                   last_person_by_cc)
            if sides is None:
                continue
            groups = _split_groups(doc, s, sent, etype, sides, triggers)
            status = _status(s, a, b, etype)
            for g in groups:
                if len(_countries(g)) < 2:
                    continue
                c = _Cand(etype=etype, rule=f"{rule}:{s[a:b].lower()}", status=status, sides=g, sent=sent, t0=t0, t1=t1)
                c.initiator_cc = _initiator(s, sent, g, doc)
                c.location = _location(s, locs_v)
                ctx = None
                pf = para_first.get(sent.para, si)
                if pf < si:
                    ctx = text[sents[pf].start:sents[si - 1].end]
                c.event_date, c.date_source = event_date(s, a, published_date, status == "planned", ctx)
                c.reports.append(sent)
                made_here.append(c)
        cands.extend(made_here)
        if made_here:
            last_event = made_here[-1]
        # update the discourse state after the sentence
        for p in persons:
            last_person_by_cc[p.cc] = p
        subj = _subject(doc, sent, persons)
        if subj is not None:
            last_subject = subj
        elif made_here and _SUBJ_PRONOUN.match(s) and last_subject is not None:
            pass
    return _finalise(doc, sents, cands, published_date, title)


def _dedupe_trigger_types(triggers: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """One candidate per type per sentence: the first trigger of each type."""
    seen: set[str] = set()
    out = []
    for t in triggers:
        if t[0] in seen:
            continue
        seen.add(t[0])
        out.append(t)
    return out


def _subject(doc: _Doc, sent: Sentence, persons: list[_Side]) -> _Side | None:
    if not persons:
        return None
    first = persons[0]
    if first.pos - sent.start <= 80:
        # the most prominent person of the sentence (the article's protagonist when present)
        return max(persons[:3], key=lambda p: (doc.freq.get(p.key, 0), -p.pos)) if len(persons) > 1 and persons[0].pos - sent.start > 40 else first
    return None


def _resolve_sides(doc: _Doc, s: str, sent: Sentence, etype: str, persons: list[_Side], bodies: list[_Side],
                   last_subject: _Side | None, last_event: _Cand | None,
                   last_person_by_cc: dict[str, _Side]) -> list[_Side] | None:
    sides: list[_Side] = list(persons)
    # free role mentions ("the Turkish minister") -> the last person of that country
    for b in bodies:
        if b.key.startswith("ROLE:"):
            p = last_person_by_cc.get(b.cc)
            if p is not None:
                sides.append(_Side(p.name, p.cc, p.role, p.entity_id, p.key, b.pos, True))
            else:
                sides.append(_Side(b.name or b.cc, b.cc, b.role, None, b.key, b.pos, False))
    # pronoun / definite subject ("He also met ...", "The minister met ...")
    first_pos = min((x.pos for x in sides), default=sent.end) - sent.start
    if _SUBJ_PRONOUN.match(s) and last_subject is not None:
        m = _SUBJ_PRONOUN.match(s)
        if m.end() <= first_pos + 1 and not any(x.key == last_subject.key for x in sides):
            sides.insert(0, _Side(last_subject.name, last_subject.cc, last_subject.role, last_subject.entity_id,
                                  last_subject.key, sent.start, True))
    hosts = [b for b in bodies if b.key == "HOST"]
    others = [b for b in bodies if not b.key.startswith("ROLE:") and b.key != "HOST"]
    if etype == "visit":
        # visitor + host country; persons of third countries are not part of the visit
        if hosts:
            host_cc = hosts[0].cc
            visitors = [x for x in sides if x.cc != host_cc]
            host_people = [x for x in sides if x.cc == host_cc]
            sides = visitors[:1] + (host_people or [hosts[0]]) if visitors else sides
        else:
            sides = sides + others
    else:
        if len(_countries(sides)) < 2:
            sides = sides + others
    # back-references to the previous contact's sides
    cc = _countries(sides)
    if len(cc) < 2 and last_event is not None:
        cp = _COUNTERPART.search(s)
        grp = _GROUP_REF.search(s)
        if cp or grp:
            prev = last_event.sides
            if not sides:
                sides = list(prev)
            else:
                for p in prev:
                    if p.cc not in cc:
                        sides.append(p)
                        cc = _countries(sides)
                        if cp and len(cc) >= 2:
                            break
    sides = _dedupe(sides)
    if len(_countries(sides)) < 2:
        return None
    return sides


def _split_groups(doc: _Doc, s: str, sent: Sentence, etype: str, sides: list[_Side],
                  triggers: list[tuple[str, int, int, str]]) -> list[list[_Side]]:
    """A leader's contacts with several counterparts named in one sentence are separate bilaterals."""
    ccs = _countries(sides)
    if len(ccs) < 3 or etype in ("agreement", "negotiation", "visit"):
        return [sides]
    same_type = sum(1 for t in triggers if t[0] == etype or t[0] == "generic")
    if _JOINT.search(s) and not _MULTI_SPLIT.search(s):
        return [sides]
    persons = [x for x in sides if x.person]
    if not (_MULTI_SPLIT.search(s) or same_type >= 2) or not persons:
        return [sides]
    hub = max(persons, key=lambda p: (doc.freq.get(p.key, 0), -p.pos))
    groups = []
    for cc in sorted({x.cc for x in sides if x.cc != hub.cc}, key=lambda c: min(x.pos for x in sides if x.cc == c)):
        groups.append([hub] + [x for x in sides if x.cc == cc])
    return groups


def _initiator(s: str, sent: Sentence, sides: list[_Side], doc: _Doc) -> str | None:
    m = _INITIATIVE.search(s)
    if not m:
        return None
    if m.group(0).lower().startswith("received"):
        cut = sent.start + m.end()
        after = [x for x in sides if x.pos >= cut]
        return after[0].cc if after else None
    who = (m.group(1) or m.group(2) or "").lower()
    for x in sides:
        if x.name and any(w in who for w in x.name.lower().split()[-1:]):
            return x.cc
    # "the US side", "the Russians", "the latter"
    if "latter" in who and sides:
        return sides[-1].cc
    for x in sides:
        if x.cc.lower() in who.replace(".", "").split():
            return x.cc
    for x in doc.in_span(sent.start + m.start(), sent.start + m.end()):
        if x.country_code:
            return x.country_code
    return None


_LOC_RX = re.compile(r"\b(?:in|at)\s+(?:the\s+)?([A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+){0,3})")


def _location(s: str, locs: list[str]) -> str | None:
    for l in locs:
        if re.search(r"\b(?:in|at)\s+(?:the\s+)?" + re.escape(l), s):
            return l
    return None


_IN_PERSON_TYPES = ("meeting", "visit", "negotiation", "agreement")


def _merge_key(c: _Cand) -> frozenset[str]:
    return _countries(c.sides)


def _finalise(doc: _Doc, sents: list[Sentence], cands: list[_Cand], published: date | None,
              title: str | None) -> list[EventRecord]:
    text = doc.text
    # 1. generic contacts join an explicit contact of the same sides, else meeting/call by the context
    explicit = [c for c in cands if c.etype != "generic"]
    resolved: list[_Cand] = []
    for c in cands:
        if c.etype != "generic":
            resolved.append(c)
            continue
        key = _merge_key(c)
        host = next((e for e in explicit if _merge_key(e) == key and e.etype in ("call", "video_call", "meeting", "negotiation")), None)
        if host is None:
            host = next((e for e in explicit if key <= _merge_key(e) and e.etype in ("call", "video_call", "meeting", "negotiation")), None)
        if host is not None:
            host.reports.append(c.sent)
            if host.event_date is None and c.event_date is not None and c.status == host.status:
                host.event_date, host.date_source = c.event_date, c.date_source
            continue
        para = " ".join(text[x.start:x.end] for x in sents if x.para == c.sent.para)
        c.etype = "meeting" if _IN_PERSON.search(para) else "call"
        c.rule = c.rule + ("->meeting" if c.etype == "meeting" else "->call")
        resolved.append(c)
    # 2. merge reports of the same contact: same type, same countries, same status, compatible dates
    merged: list[_Cand] = []
    for c in resolved:
        key = _merge_key(c)
        tgt = None
        for m in merged:
            if m.etype != c.etype or _merge_key(m) != key:
                continue
            if m.status != c.status:
                continue
            if m.event_date and c.event_date and m.event_date != c.event_date:
                continue
            tgt = m
            break
        if tgt is None:
            merged.append(c)
            continue
        tgt.reports.extend(c.reports)
        if tgt.event_date is None and c.event_date is not None:
            tgt.event_date, tgt.date_source = c.event_date, c.date_source
        if tgt.location is None:
            tgt.location = c.location
        if tgt.initiator_cc is None:
            tgt.initiator_cc = c.initiator_cc
        # prefer person sides over bodies for the same country
        tgt.sides = _dedupe([*tgt.sides, *c.sides])
    # a planned contact of the same type and sides as an occurred one in a sentence that also reports it is kept:
    # the gold counts "will meet" and "met" as different contacts.
    # 3. topics: the reporting sentences and the sentences that follow each report up to the next contact
    event_sent_idx = {}
    for i, s in enumerate(sents):
        event_sent_idx[(s.start, s.end)] = i
    trig_sents = sorted({event_sent_idx[(r.start, r.end)] for c in merged for r in c.reports})
    out: list[EventRecord] = []
    title_l = (title or "").lower()
    for c in merged:
        chunks = []
        for r in c.reports:
            i = event_sent_idx[(r.start, r.end)]
            chunks.append(text[r.start:r.end])
            nxt = next((j for j in trig_sents if j > i), len(sents))
            for j in range(i + 1, min(nxt, i + 4)):
                if sents[j].para - r.para > 1 or not sents[j].reportable:
                    break
                chunks.append(text[sents[j].start:sents[j].end])
        topics = topics_for(" ".join(chunks))
        ev = c.reports[0]
        parts = []
        sides = sorted(c.sides, key=lambda x: 0 if (c.initiator_cc and x.cc == c.initiator_cc) else 1) if c.etype != "invitation" else c.sides
        for x in sides:
            parts.append(Participant(name=x.name or x.cc, country_code=x.cc, role=x.role,
                                     entity_id=x.entity_id if x.person else x.entity_id,
                                     is_initiator=bool(c.initiator_cc and x.cc == c.initiator_cc)
                                     or (c.etype == "invitation" and x is sides[0])))
        is_main = bool(title_l) and all(
            any((p.name or "").split()[-1].lower() in title_l for p in parts if p.country_code == cc) or False
            for cc in list(_countries(c.sides))[:1])
        out.append(EventRecord(
            event_type=c.etype, status=c.status, participants=tuple(parts),
            evidence=text[ev.start:ev.end], evidence_start=ev.start, evidence_end=ev.end,
            event_date=c.event_date, date_source=c.date_source, topics=topics, location=c.location,
            rule=c.rule, is_main=is_main,
            extra={"n_reports": len(c.reports), "trigger": text[c.t0:c.t1]},
        ))
    if out and not any(e.is_main for e in out):
        out[0] = EventRecord(**{**out[0].__dict__, "is_main": True})
    return out
