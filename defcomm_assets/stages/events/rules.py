"""Events: who contacted whom, how, when and about what - each real contact once per article.

``extract_events(text, mentions, published_date, title=None) -> list[EventRecord]``

How a row comes about (every row names its ``rule``: trigger rule, trigger words, and how a generic word was
typed, e.g. ``talk:held talks->meeting``):

1. The clean text is split into paragraphs (lines) and sentences by a cheap rule splitter that knows titles
   and initials ("Gen.", "U.S.", "Lloyd J. Austin"). Lines without closing punctuation (headlines, related-link
   lists, timestamps) and "Read also" lines report nothing; the headline's contact is reported by the body.
2. Trigger phrases (compiled once, gated by cheap substring checks) give candidate types: ``call``
   (phone/telephone/teleconference), ``video_call`` (video conference/link, virtually), ``meeting`` (met,
   received, welcomed, hosted, on the sidelines), ``visit`` (visit, arrived in, travel to, welcome X to Y),
   ``negotiation`` (formal negotiations, rounds, talks on a treaty), ``agreement`` (signed/adopted/inked +
   agreement/memorandum/communique/deal), ``invitation`` (invited, at the invitation of). Hoaxes, refused or
   proposed talks ("not ready for talks", "called for talks") are no contact.
   *Generic* words: "conversation", "held talks", "spoke with" join an explicit contact of the same sides in
   the article, else become a ``meeting`` when travel or a venue is stated, else a ``call`` (unstated medium,
   no travel); anaphoric "the meeting", "the talks", "discussed" only join a contact or take the medium the
   article stated last (the "video meeting" of the lead) - they never invent one.
3. Sides come from the entities stage's mentions: persons with a country first, then bodies/countries that
   act (subject, "with/between X", "ministry of X", "the Ukrainian and American delegations") - not places
   ("talks in Riyadh"), modifiers ("Russian drones", "the NATO summit") or passive agents. Back-references -
   "he", "the (Turkish) minister", "his/my counterpart", "the two ministers", "the sides", "today's visit" -
   take the article's last subject or previous contact. A visit is visitor + host (the place right after
   the trigger). A caller speaking with several counterparts makes separate bilaterals unless the text names
   one joint call. At least two distinct countries, or no international contact (domestic meetings drop out).
4. Status ``planned`` when a future marker governs the trigger inside its clause ("will", "is due to",
   "agreed that ... will", "should be held", a visit "discussed"), else ``occurred``.
5. Reports of the same sides (same countries, compatible persons), type and status in one article merge into
   one event (headline, lead and quote of one call are one row); date, venue, initiator and topics gather
   from all of its reports; a delegation's named head ("led by X") replaces the country standing for it.
6. Contacts with nothing about defence or security where only states act (trade talks) are dropped.

Pure module: no Dagster, no spaCy model; regexes compiled at import; linear in the document.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Sequence

from defcomm_assets.stages.events.event_dates import event_date
from defcomm_assets.core.records import EventRecord, Mention, Participant
from defcomm_assets.core.sentences import Sentence, split_sentences
from defcomm_assets.stages.events.topics import TOPIC_ANCHORS, AnchorGate, combine_topics, topic_hits_gated

# ----------------------------------------------------------------------------------------------
# triggers

def _rx(p: str) -> re.Pattern:
    return re.compile(p, re.I)


# Case-insensitive matching is several times slower in `re` than matching lower-cased text with a lower-cased
# pattern. Both find the same matches at the same offsets when lower-casing keeps the text's length and the text
# has no "ı"/"ſ" (which re.I matches to i/s) - checked over every code point for the characters these patterns
# use (ASCII, é, ’, –), [A-Z], \w, \W and \s.

def _lower_matches_alike(s: str, low: str) -> bool:
    """Do the lower-cased patterns on ``low`` (``s.lower()``) find what the re.I patterns find on ``s``?"""
    return len(low) == len(s) and "ı" not in low and "ſ" not in low


def _lower_pattern(p: str) -> str:
    """Pattern ``p`` for lower-cased text: letters lower-cased, except escapes (\\W stays \\W)."""
    assert not re.search(r"\(\?[^:=!<]", p), p  # no inline flags or named groups
    out = []
    escaped = False
    for ch in p:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)


class _Folded:
    """A case-insensitive pattern that runs on the lower-cased text where that is alike (see above).
    ``low``: the text lower-cased if _lower_matches_alike, else None (the re.I pattern runs on ``s``)."""

    __slots__ = ("rx", "rx_low")

    def __init__(self, pattern: str):
        self.rx = _rx(pattern)
        self.rx_low = re.compile(_lower_pattern(pattern))

    def search(self, s: str, low: str | None) -> re.Match | None:
        return self.rx.search(s) if low is None else self.rx_low.search(low)

    def match(self, s: str, low: str | None) -> re.Match | None:
        return self.rx.match(s) if low is None else self.rx_low.match(low)

    def finditer(self, s: str, low: str | None):
        return self.rx.finditer(s) if low is None else self.rx_low.finditer(low)


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
                      r"\b(?:agreements?|memorand(?:um|a)|MoUs?|contracts?|accords?|pacts?|deals?|treat(?:y|ies)|protocols?)\b[^.;]{0,100}?\b(?:(?:was|were|will be|is to be|to be)\s+signed|signing)\b|"
                      r"(?<!envisaged by the )(?<!under the )(?<!in line with the )\bjoint (?:communiqu[eé]|statement|declaration)\b(?=[^.;]{0,40}\b(?:adopted|issued|signed|agreed)\b)|"
                      r"\b(?:adopted|issued|signed|agreed on)\s+(?:a|the)\s+(?:\w+\s+){0,2}joint (?:communiqu[eé]|statement|declaration)\b"), "sign"),
    ("negotiation", _rx(r"\bpeace talks\b|\btalks\b(?:\s+between\s+[^.;]{0,60}?)?\s+on\s+(?:a|the)\s+(?:[\w-]+\s+){0,3}?(?:treaty|agreement|deal|accord|ceasefire)\b|\bnegotiat(?:ions?|ing|ed|e)\b|\bconsultations\b|\bround\b[^.;]{0,70}?\b(?:talks|meeting|dialogue|consultations|negotiations)\b|\b(?:level|format) talks\b"),
     "negotiate"),
    ("visit", _rx(r"\bwelcom(?:ed|es|e|ing)\b(?=[^.;]{0,80}?\bto\s+(?:the\s+)?[A-Z])|\bvisit(?:s|ed|ing)?\b|\barriv(?:ed|es|e|ing)\s+(?:in|at)\b|\btravel(?:s|led|ed|ling|ing)?\s+to\b|\b(?:trip|tour|journey)\s+to\b"),
     "visit"),
    ("meeting", _rx(r"\bmet\b|\bmeet(?:s|ing|ings)?\b|\breceived\b(?!\s+(?:a\s+|on\s+\w+\s+)?(?:tele)?(?:phone|call))|\breceives\b|\breceive\s+(?=(?:his|her|their|the|a)\s+(?:[\w-]+\s+){0,3}?(?:colleague|counterpart|delegation|minister|president|chief|general|ambassador|prime minister|secretary))|"
                    r"\bwelcom(?:ed|es|ing)\b|\bhosted\b|\bhosts\b|\bcall(?:ed|s)? on\b|\bsidelines\b|\binterview with\b|\bbilateral talks\b|\battended\b|"
                    r"\btook part\b|\bparticipated\b|\b(?:three|four)-way discussion\b|"
                    r"\btrilateral\b(?!\s+(?:defen[cs]e\s+|security\s+|military\s+)?(?:cooperation|partnership|relations|ties|framework|exercises?|drills?|alliance|pacts?|agreements?|coordination|mechanism|dialogue)\b)|"
                    r"\bin-person\b|\bface-to-face\b"),
     "meet"),
    ("generic", _rx(r"\b(?:the|this|that|these|during the|at the|after the)\s+(?:\w+\s+)?(?:meeting|gathering|talks|conversation)\b|\bdiscuss(?:ed|es|ing|ion|ions)?\b|\bdialogue\b|\bexchanged views\b|\bcontacts?\b"),
     "ref"),
    ("generic", _rx(r"\bheld talks\b|\bhold(?:s|ing)? talks\b|\bconversations?\b|\btalks?\b|\bspoke\b|\bspeak(?:s|ing)?\s+(?:to|with)\b|\btalked\b|\binteract(?:ed|ion)\b"),
     "talk"),
]
_NOT_CONTACT = _rx(r"\b(?:hoax|prank|impost[eo]r|fake|bogus|pranksters?)\b")
_IN_PERSON = _rx(r"\bvisit|\barriv|\btravel|\bsidelines\b|\bheadquarters\b|\bhosted\b|\breceived\b|\bwelcom|\bdelegation|\bsummit\b|"
                 r"\bin-person\b|\bface-to-face\b|\bministerial\b|\bmeeting point\b|\bat the\b")
_NEGOTIATION_FORMAL = _rx(r"\bround\b|\bagreement\b|\bdeal\b|\btreaty\b|\bceasefire\b|\bcease-fire\b|\bsettlement\b|\bdelegations?\b|"
                          r"\blaunch|\bbeg[ia]n\b|\bbegun\b|\bstart|\bcommencement\b|\bcompleted\b|\bconcluded\b|\bheld\b|\bwill (?:hold|take place)\b|\bparameters\b|"
                          r"\bcost[- ]sharing\b|\bguarantee|\bcommitments\b|\bnegotiators?\b|\bnegotiating team\b")
# a sign/adopt object that is not a bilateral document ("signed a decree", "adopted a law")
_EARLIER = _Folded(r"^\W*(?:earlier|previously|before that)\b|\b(?:as (?:previously|earlier) reported|previously|recently|recent|last (?:week|month|year)|ago|in the past|had earlier|earlier this (?:week|month|year))\b")
# A sentence that refers back to a contact: a back-reference as its subject, "the two sides", or a word of talks.
# The three alternatives apart: the last two are looked for only when one of their words occurs (_topic_ref).
_TOPIC_REF_SUBJECT = (r"^\W*(?:(?:[\w'’-]+\s+){0,3}?[\w'’-]+,\s+)?(?:he|she|they|both|the two|the sides|the parties|the ministers|the officials|the leaders|"
                      r"the (?:meeting|talks|conversation|call|discussions?|visit|negotiations|agreement|memorandum|document|delegations)|"
                      r"discussions|talks|during the|at the meeting|in the course of)\b")
_TOPIC_REF_PAIR = r"\b(?:the two|both) (?:sides|ministers|officials|leaders|countries|generals|chiefs|delegations)\b"
_TOPIC_REF_PAIR_WORDS = ("the two ", "both ")
_TOPIC_REF_WORD = r"\b(?:discussed|focused on|topics|agenda|exchanged views|briefed|informed (?:him|her|them|his|the))\b"
_TOPIC_REF_WORDS = ("discussed", "focused on", "topics", "agenda", "exchanged views", "briefed", "informed ")
_TOPIC_REF = _Folded("|".join((_TOPIC_REF_SUBJECT, _TOPIC_REF_PAIR, _TOPIC_REF_WORD)))
_TOPIC_REF_PARTS = (_Folded(_TOPIC_REF_SUBJECT), _Folded(_TOPIC_REF_PAIR), _Folded(_TOPIC_REF_WORD))


def _topic_ref(s: str, low: str | None) -> bool:
    """``_TOPIC_REF.search(s, low) is not None``, cheaper: on the lower-cased sentence (``low``, see _Folded) an
    alternative runs only when one of its words occurs."""
    if low is None:
        return _TOPIC_REF.search(s, None) is not None
    subject, pair, word = _TOPIC_REF_PARTS
    return (subject.match(s, low) is not None
            or (any(map(low.__contains__, _TOPIC_REF_PAIR_WORDS)) and pair.search(s, low) is not None)
            or (any(map(low.__contains__, _TOPIC_REF_WORDS)) and word.search(s, low) is not None))


_NEGATED = _Folded(r"(?:\b(?:not|no|never|nor|without|refus\w*|reject\w*|declin\w*|rul\w* out|unwilling|cancel\w*|call(?:s|ed|ing)? for|urg\w*|propos\w*|offer\w*|demand\w*|seek\w*|sought|ready for|open to|willing to|hopes? for|possible|potential)\b[^.;,]{0,25}$)")
_DEFINITE_VISIT = _rx(r"(?:^\W*|\b(?:during|after|at the end of|at the conclusion of|in the course of|following)\s+)"
                      r"(?:the|this|that|today['’]s|yesterday['’]s|his|her|their)\s+(?:\w+\s+)?visit\b(?!\s+(?:of|by|to)\b)")
_CIVIL_ORGS = {"UN", "EU", "OSCE"}
_SECURITY = _rx(r"defen[cs]|militar|security|army|armed|\bwar\b|troops|weapon|\barms\b|\bNATO\b|minist|general|command|"
                r"ceasefire|peace|border|navy|naval|air force|strategic|intelligence|delegation|officials")
_LED_BY = _rx(r"\b(?:delegation|side|team|negotiators?)\b[^.;]{0,40}?\b(?:led|headed|represented)\s+by\b|"
              r"\bled\s+the\s+(?:\w+\s+){0,2}(?:side|delegation|team|negotiators)\b")

# ----------------------------------------------------------------------------------------------
# status

_FUTURE = _Folded(r"\b(?:is|are) due to\b|\b(?:is|are) expected to\b|\bwill\b|\bshall\b|['’]ll\b|\b(?:is|are|was|were) set to\b|\bscheduled\b|\bplan(?:s|ned|ning)?\s+to\b|\b(?:is|are)\s+to\s+(?:meet|hold|visit|sign|begin|start|take)\b|"
                  r"\bto be (?:held|signed)\b|\bexpected to\b|\bshould be (?:held|signed)\b|\bupcoming\b|\bnext (?:week|month|year)\b|\btomorrow\b|\bpreparing\b|"
                  r"\bgoing to\b|\bintends? to\b|\bwould (?:meet|hold|visit|sign|travel)\b|\bforthcoming\b|\bin the near future\b|\bsoon\b|\bhope to\b|\bset to begin\b|\bplan\b|"
                  # "concurred that Minister X would visit": the trigger right after "would"
                  r"\bwould\s+(?:\w+ly\s+)?$")
_PAST_NEAR = _rx(r"\b(?:met|held|signed|visited|spoke|arrived|received|welcomed|completed|launched|began|had|hosted|discussed|talked|took place|was held|were held|adopted|concluded|attended|paid)\b")
# the inline patterns of _status, compiled once
_WILL_INVITE = _rx(r"\b(?:will|to|plans? to|intends? to)\s+(?:\w+\s+)?invite\b")
_ENDS_WITH_TO = re.compile(r"\bto\s+$")
_FUTURE_IN_TRIGGER = _rx(r"\b(?:will|to be|is to)\b")
_PREP_NOUN_BEFORE = _rx(r"\b(?:during|at|in|after|before|on|of)\s+(?:the|their|his|her|a|this|that)\s+(?:[\w-]+\s+)?$")
_MAIN_CLAUSE_FUTURE = _rx(r"^[^.;]{0,120}?\b(?:will|shall|is set to|are set to|is scheduled|are scheduled|are to|is to)\b")
_VISIT_OR_MEETING = _rx(r"(?:visit|meeting)\b")
_TALKED_ABOUT_BEFORE = _rx(r"\b(?:discuss(?:ed|es|ing)?|agreed (?:on|to hold)|prepar\w+|arrang\w+|plans? for|organi[sz]\w+)\b[^.;]{0,80}"
                           r"\b(?:an?|another|new|next|future|possible)\s+(?:[\w-]+\s+){0,2}$")
_PAST_TRIGGER = _rx(r"(?:met|held|signed|visited|spoke|arrived|received|welcomed|hosted|attended)\b")
_FUTURE_AFTER = _rx(r"^[^,;.–]{0,90}?\b(?:will|shall|is set to|are set to|is scheduled|are scheduled|to be held|would|is to take place|are to take place|should (?:be held|take place|meet)|(?:is|are) expected to (?:be held|take place|begin|start))\b")


def _status(sent: str, t0: int, t1: int, etype: str, low: str | None = None) -> str:
    """``low``: the sentence lower-cased if _lower_matches_alike, else None."""
    if etype == "invitation":
        window = sent[max(0, t0 - 25):t1]
        return "planned" if _WILL_INVITE.search(window) else "occurred"
    lo = max(0, t0 - 90)
    # the clause: stop at a sentence-internal boundary before the trigger that starts a new clause
    pre = sent[lo:t0]
    cut = max(pre.rfind("; "), pre.rfind(" – "), pre.rfind(" - "), pre.rfind(": "), pre.rfind(", "),
              pre.rfind("” "), pre.rfind('" '))
    if _ENDS_WITH_TO.search(pre) and cut >= 0:
        # a purpose infinitive ("will pay a visit to Washington, D.C., to meet ...") follows its governing verb
        cut = max(pre.rfind("; "), pre.rfind(" – "), pre.rfind("” "), pre.rfind('" '))
    if cut >= 0:
        pre = pre[cut + 2:]
        lo += cut + 2
    pre_low = None if low is None else low[lo:t0]
    post = sent[t0:min(len(sent), t1 + 100)]
    trig = sent[t0:t1]
    if etype in ("agreement", "negotiation") and _FUTURE_IN_TRIGGER.search(trig):
        return "planned"
    if _PREP_NOUN_BEFORE.search(pre):
        # a prepositional noun ("During their meeting, the ministers will discuss"): the main clause decides
        if _MAIN_CLAUSE_FUTURE.search(post):
            return "planned"
    if etype in ("visit", "meeting") and _VISIT_OR_MEETING.match(trig) and _TALKED_ABOUT_BEFORE.search(pre):
        # "discussed ... an official visit to Romania": a visit talked about is a planned one
        return "planned"
    if _PAST_NEAR.match(trig) or _PAST_TRIGGER.match(trig):
        # a past verb as the trigger itself: occurred unless an auxiliary future governs it ("will have met" rare)
        return "occurred"
    if _FUTURE.search(pre, pre_low) or _FUTURE_AFTER.search(post):
        # "will" far before a past tense verb nearer the trigger is not about it
        last_past = None
        for m in _PAST_NEAR.finditer(pre):
            last_past = m
        fut = None
        for m in _FUTURE.finditer(pre, pre_low):
            fut = m
        if last_past and fut and last_past.start() > fut.start():
            return "occurred"
        return "planned"
    return "occurred"


# ----------------------------------------------------------------------------------------------
# sides

_LOC_PREP = re.compile(r"(?:\b(?:in|at|near|over|across|into|from|throughout|within|inside|around|towards?|against|about|on|for|under|via|through|across|along|by|beyond|off)\s+(?:the\s+)?$)", re.I)
_OF_ACTOR = re.compile(r"\b(?:ministry|ministries|minister|ministers|delegations?|government|governments|leaders?|representatives?|side|sides|president|presidents|army|armies|chiefs?|heads?|militar(?:y|ies)|defen[cs]e|prime ministers?|authorities|forces|commanders?|officials?|teams?|secretary|department|committee|parliament|navy|staff|ambassador|envoy)\b[^.,;:]{0,25}?\bof\s+(?:the\s+)?$", re.I)
_ACTOR_NOUN = re.compile(
    r"^(?:\s*(?:and|,|&)\s*(?:the\s+)?(?-i:[A-Z])[\w.]*(?:\s+(?-i:[A-Z])[\w.]+)?)*\s*(?:['’]s\s+)?(?:\w+\s+){0,2}?(?:ministers?|ministry|ministries|presidents?|prime ministers?|premiers?|counterparts?|colleagues?|delegations?|side|sides|team|government|officials?|"
    r"leaders?|chiefs?|generals?|commanders?|army|military|armed forces|secretary|ambassadors?|envoys?|negotiators?|authorities|partners|head|heads|representatives?|navy|air force|parliament|parliamentarians|bundestag|sejm|rada|congress|senate|committee|lawmakers|MPs|defen[cs]e (?:minister|ministry|chief|secretary|department|officials?|forces)|counterpart)\b",
    re.I)
_COUNTERPART = _Folded(r"\b(?:his|her|their|its|my|our)\s+(?:(?:\w+|[A-Z][\w-]+)\s+){0,2}?(?:counterparts?|colleagues?|opposite numbers?|hosts?|guests?)\b")
_GROUP_REF = _Folded(
    r"\b(?:(?:the |all )?(?:two|three|four|five|six|seven|eight|nine|ten)|both)\s+(?:[\w-]+\s+){0,2}?(?:ministers|sides|parties|leaders|officials|generals|chiefs|delegations|countries|heads|counterparts|commanders|presidents|men|nations|states|ministries|colleagues|partners)\b|"
    r"\bthe (?:sides|parties|ministers|officials|delegations|generals|counterparts|partners)\b(?!\s+of\b)|\b(?:they|them)\b")
_SUBJ_PRONOUN = _Folded(r"^\W*(?:(?:[\w'’-]+\s+){0,4}?[\w'’-]+,\s+)?(?:he|she|the (?:[\w.-]+\s+){0,3}?(?:minister|president|secretary|general|chief|commander|head|premier|leader|admiral))\b")
_MULTI_SPLIT = re.compile(r"\bas well as\b|\band (?:also )?with\b|\bbesides\b|\bseparately\b|\brespectively\b|\bthen\b", re.I)
_ONE_CALL = re.compile(r"\b(?:a|one|the|joint|single)\s+(?:[\w-]+\s+){0,2}?(?:call|conversation|videoconference|video conference|"
                       r"teleconference|video call|phone call|meeting|talks)\s+(?:\w+\s+){0,2}?with\b", re.I)
_JOINT = re.compile(r"\bjoint\b|\btrilateral\b|\bthree-way\b|\bfour-way\b|\bmultilateral\b|\bbetween\b|\bmeeting of\b|\bsession\b|\bministerial\b|\bof (?:the )?(?:\w+ )?ministers\b", re.I)
_INITIATIVE = _Folded(r"\b(?:at|on) the (?:initiative|request) of\s+(?:the\s+)?(\w+(?:\s+\w+)?)|\binitiated (?:by|at the request of)\s+(?:the\s+)?(\w+(?:\s+\w+)?)|\breceived\b[^.]{0,40}\bcall from\b")


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
    medium: str | None = None
    medium_at: tuple[str, int] | None = None  # (sentence, trigger offset) of the medium's trigger, dated if needed
    own_sides: bool = False


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
    return frozenset([s.cc for s in sides if s.cc])


class _Doc:
    """Per-call state: text, mentions indexed by offset, person frequencies."""

    def __init__(self, text: str, mentions: Sequence[Mention]):
        self.text = text
        ms = sorted((m for m in mentions if 0 <= m.start_char < m.end_char <= len(text)), key=lambda m: (m.start_char, -m.end_char))
        self.mentions = ms
        self.starts = [m.start_char for m in ms]
        self.freq = Counter(m.key for m in ms if m.label == "PERSON" and m.key)
        self.actor_cache: dict[tuple[int, int], str | None] = {}
        self.span_cache: dict[tuple[int, int], list[Mention]] = {}
        self.gate_masks: dict[int, int] = {}  # sentence index -> _GATE.mask of its lower-cased text
        self.lower_cache: dict[int, str | None] = {}

    def alike_lower(self, sent: Sentence) -> str | None:
        """The sentence lower-cased if the lower-cased patterns match it alike (_lower_matches_alike), else None."""
        try:
            return self.lower_cache[sent.start]
        except KeyError:
            s = self.text[sent.start:sent.end]
            low = s.lower()
            v = self.lower_cache[sent.start] = low if _lower_matches_alike(s, low) else None
            return v

    def in_span(self, a: int, b: int) -> list[Mention]:
        """The mentions inside text[a:b], in order. Memoised: a sentence's span is asked for many times; callers
        must not change the list."""
        out = self.span_cache.get((a, b))
        if out is None:
            starts = self.starts
            out = [m for m in self.mentions[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)] if m.end_char <= b]
            self.span_cache[(a, b)] = out
        return out


_ORG_CODES = {"NATO", "EU", "UN", "OSCE"}
_SIDE_BEFORE = re.compile(r"(?:^|\b(?:between|with|and|&|amid talks with)\s+(?:the\s+)?|,\s*(?:the\s+)?)$", re.I)
# the inline patterns of _sentence_initial, _actor_place and _visit_host, compiled once
_PARENTHESIS = re.compile(r"\([^()]{0,40}\)")
_LEAD_IN_MARK = re.compile(r"(?:--|—|–| - |:)")
_LEAD_IN = re.compile(r"^.*?(?:--|—|–| - |:)\s*")
_ONLY_ARTICLE = _rx(r"\W*(?:the\s+)?")
_WITH_BETWEEN_BEFORE = _rx(r"\b(?:with|between)\s+(?:the\s+)?$")
_DASH_END = re.compile(r"[-–]\s*$")
_DASH_WORD = re.compile(r"[-–]\w")
_DASHED_PLACE_NOUN = _rx(r"(?:[-–][\w]+)?\s+(?:state\s+)?(?:border|frontier|boundary|region|conflict|war|standoff|clashes|line|relations|ties)\b")
_POSSESSIVE_S = re.compile(r"\s*['’]s\b")
_POSSESSED_BODY = _rx(r"\s*(?:\w+\s+){0,2}(?:parliament|bundestag|rada|sejm|congress|committee|senate|navy|delegation)")
_CONJUNCT_BEFORE = re.compile(r"(?:,|\band\b|&)\s*(?:the\s+)?$")
_PLACE_NOUN_AFTER = _rx(r"\s*(?:,\s*(?:the\s+)?)?(?:capital|city|region|province|state|border|territory|airspace|skies|soil|coast|waters|sea)\b")
_VISIT_GAP = _rx(r"\s*(?:[\w-]+\s+){0,3}?(?:to|in|at)?\s*(?:the\s+)?")
_NOT_SIDE_BEFORE = re.compile(r"\b(?:tensions?|conflict|war|wars|aggression|threats?|hostilities|confrontation|dealing|deal|deals|cope|coping|struggle|fighting|fight|clashes|border|borders|relations|ties|cooperation|partnership|trade)\s+(?:with|against|between)\s+(?:the\s+)?$", re.I)


def _sentence_initial(text: str, sent_start: int, pos: int) -> bool:
    """Is ``pos`` the start of the sentence's subject (after a dateline, a source tag or a short lead-in)?"""
    head = text[sent_start:pos]
    if len(head) > 80:
        return False
    head = _PARENTHESIS.sub(" ", head)
    head = _LEAD_IN.sub("", head) if _LEAD_IN_MARK.search(head) else head
    return bool(_ONLY_ARTICLE.fullmatch(head))


def _is_actor_place(doc: _Doc, m: Mention, sent_start: int, etype: str, ms: list[Mention]) -> str | None:
    """For GPE/NORP/ORG mentions: 'side' (a state or body that acts) or None (a place, a modifier).
    Memoised per mention: a long coordinated list ("Poland, Romania, ... and Turkey") stays linear."""
    key = (m.start_char, m.end_char)
    if key in doc.actor_cache:
        return doc.actor_cache[key]
    res = _actor_place(doc, m, sent_start, etype, ms)
    doc.actor_cache[key] = res
    return res


def _actor_place(doc: _Doc, m: Mention, sent_start: int, etype: str, ms: list[Mention]) -> str | None:
    text = doc.text
    before = text[max(sent_start, m.start_char - 40):m.start_char]
    after = text[m.end_char:m.end_char + 60]
    if m.label == "NORP" or (m.country_code in _ORG_CODES and m.label != "PERSON"):
        # "Russian drones" is not an actor, "the Ukrainian and American delegations" are; "the NATO summit" is not
        if _ACTOR_NOUN.match(after):
            return "side"
        if m.label == "NORP":
            return None
        return "side" if _WITH_BETWEEN_BEFORE.search(before) else None
    if _NOT_SIDE_BEFORE.search(before):
        return None
    if (_DASH_END.match(before[-1:]) or _DASH_WORD.match(after)) and m.label in ("GPE", "NORP"):
        # "China-India talks" act; the "Pakistan-Afghanistan border" does not
        if _DASHED_PLACE_NOUN.match(after):
            return None
        return "side"
    possessive = _POSSESSIVE_S.match(after)
    if possessive:
        rest = after[possessive.end():]
        return "side" if _ACTOR_NOUN.match(rest) or _POSSESSED_BODY.match(rest) else None
    # coordination: "India and China", "Poland, Romania and Turkey" - as the first conjunct goes
    if _CONJUNCT_BEFORE.search(before):
        prev = [o for o in ms if m.start_char - 8 <= o.end_char <= m.start_char and o.label in ("GPE", "ORG", "NORP")]
        if prev:
            return _is_actor_place(doc, prev[-1], sent_start, etype, ms)
    if _OF_ACTOR.search(before):
        return "side"
    if _PLACE_NOUN_AFTER.match(after):
        return None
    if _SIDE_BEFORE.search(before) or _sentence_initial(text, sent_start, m.start_char):
        return "side"
    if m.label == "ORG" and not _LOC_PREP.search(before):
        return "side"
    return None


def _visit_host(doc: _Doc, sent: Sentence, t1: int, ms: list[Mention]) -> Mention | None:
    """The country or institution visited: the first mention right after the visit trigger ("visited Pakistan",
    "official visit to Washington", "arrived in India", "visiting Egypt")."""
    for m in ms:
        if m.start_char < t1 or not m.country_code or m.label == "PERSON":
            continue
        gap = doc.text[t1:m.start_char]
        if len(gap) <= 45 and _VISIT_GAP.fullmatch(gap) and "," not in gap:
            return m
        break
    return None


def _sentence_sides(doc: _Doc, sent: Sentence, lo: int, hi: int) -> tuple[list[_Side], list[_Side], list[str]]:
    """(person sides, body/country sides, place names) stated in text[lo:hi] of the sentence."""
    ms_all = doc.in_span(sent.start, sent.end)
    ms = [m for m in ms_all if lo <= m.start_char < hi]
    persons: list[_Side] = []
    bodies: list[_Side] = []
    locs: list[str] = []
    person_spans = [(m.start_char, m.end_char) for m in ms_all if m.label == "PERSON"]
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
            if any(a - 30 <= m.end_char <= a + 1 or (a <= m.start_char < b) or 0 <= m.start_char - b <= 3 for a, b in person_spans):
                continue
            sd = _side_of(m, person_like=True)
            sd.key = f"ROLE:{m.country_code}"
            sd.name = ""
            bodies.append(sd)
            continue
        if any(a <= m.start_char < b for a, b in person_spans):
            continue
        kind = _is_actor_place(doc, m, sent.start, "", ms_all)
        if kind is None:
            if m.label == "GPE":
                locs.append(m.text)
            continue
        bodies.append(_side_of(m, person_like=False))
    return persons, bodies, locs


# Cheap substring gates (lower case) per trigger pattern, in _TRIGGERS order: the regex runs only when one occurs.
_TRIGGER_ANCHORS: tuple[tuple[str, ...], ...] = (
    ("video", "virtual", "online"),
    ("phone", "telephon", "teleconference", "call"),
    ("invit",),
    ("sign", "ink", "conclud", "adopt", "issued", "joint communi", "joint statement", "joint declaration", "agreed on"),
    ("negotiat", "consultations", "round", "level talks", "format talks", "talks"),
    ("visit", "arriv", "travel", "trip", "tour", "journey", "welcom"),
    ("met", "meet", "receiv", "welcom", "host", "call", "sideline", "interview", "bilateral talks", "attended",
     "took part", "participated", "-way discussion", "trilateral", "in-person", "face-to-face"),
    ("meeting", "gathering", "talks", "conversation", "discuss", "dialogue", "exchanged views", "contact"),
    ("talk", "conversation", "spoke", "speak", "interact"),
)
assert len(_TRIGGER_ANCHORS) == len(_TRIGGERS)
# the words _NOT_CONTACT needs, lower case
_NOT_CONTACT_ANCHORS = ("hoax", "prank", "impost", "fake", "bogus")
# the words _JOINED needs, lower case
_JOINED_ANCHORS = ("particip", "taking part", "present", "attend", "join", "chair", "took part", "moderat")
# One gate for the trigger anchors, _NOT_CONTACT, _JOINED and the topic anchors: a sentence's tokens are looked at
# once. Bits 0..len(_TRIGGERS)-1 of its mask are the triggers, then _NOT_CONTACT, then _JOINED, the bits above are
# topics.TOPIC_ANCHORS.
_GATE = AnchorGate(_TRIGGER_ANCHORS + (_NOT_CONTACT_ANCHORS, _JOINED_ANCHORS) + TOPIC_ANCHORS)
_TRIGGER_BITS = (1 << len(_TRIGGERS)) - 1
_NOT_CONTACT_BIT = 1 << len(_TRIGGERS)
_JOINED_BIT = 1 << (len(_TRIGGERS) + 1)
_TOPIC_SHIFT = len(_TRIGGERS) + 2
# the _TRIGGERS indices of each trigger mask, ascending (the order the triggers are looked for in)
_TRIGGER_KINDS = tuple(tuple(k for k in range(len(_TRIGGERS)) if mask >> k & 1) for mask in range(_TRIGGER_BITS + 1))
# the trigger patterns for the lower-cased sentence (see _lower_matches_alike)
_TRIGGERS_LOW = tuple(re.compile(_lower_pattern(rx.pattern)) for _, rx, _ in _TRIGGERS)


# the inline patterns of _find_triggers, compiled once
_MEETING_WORD = _rx(r"meeting|gathering")
_WELCOMED_THING = _rx(r"\s+(?:the\s+|this\s+|a\s+|an\s+|[\w-]+['’]s\s+)?(?:[\w-]+\s+){0,2}?(?:steps?|progress|decisions?|efforts?|moves?|"
                      r"initiatives?|announcements?|agreements?|commitments?|outcomes?|results?|proposals?|plans?|support|"
                      r"contributions?|readiness|opportunit(?:y|ies)|news|adoption|signing|establishment|launch|deployments?|"
                      r"approval|statements?|developments?|intentions?|willingness|measures|achievements?|success|expansion|"
                      r"strengthening|deepening|continuation|cooperation|partnership|participation|assistance|packages?)\b")
_CALLED_ON = _rx(r"call(?:ed|s)? on\b")
_VIRTUAL = _rx(r"virtual")
_MEET = _rx(r"meet")


def _find_triggers(s: str, low: str | None = None, gate_mask: int | None = None) -> list[tuple[str, int, int, str]]:
    """Trigger phrases of sentence ``s``; ``low`` is ``s.lower()`` and ``gate_mask`` its ``_GATE.mask`` if known."""
    found: list[tuple[str, int, int, str]] = []
    if low is None:
        low = s.lower()
    if gate_mask is None:
        gate_mask = _GATE.mask(low)
    # a trigger's regex runs only when one of its anchors occurs in the sentence
    kinds = _TRIGGER_KINDS[gate_mask & _TRIGGER_BITS]
    folded = low if _lower_matches_alike(s, low) else None
    if folded is not None:
        for k in kinds:
            etype, _, rule = _TRIGGERS[k]
            for m in _TRIGGERS_LOW[k].finditer(low):
                found.append((etype, m.start(), m.end(), rule))
    else:
        for k in kinds:
            etype, rx, rule = _TRIGGERS[k]
            for m in rx.finditer(s):
                found.append((etype, m.start(), m.end(), rule))
    if not found:
        return found
    found.sort(key=lambda x: x[1])
    # "welcomed Japan's steps", "welcomed the progress": welcoming a thing is not receiving a visitor
    found = [f for f in found if not (f[0] in ("visit", "meeting") and s[f[1]:f[1] + 6].lower() == "welcom"
                                      and _WELCOMED_THING.match(s, f[2]))]
    gen_spans = [(a, b) for t, a, b, _ in found if t == "generic"]
    found = [f for f in found if not (f[0] == "meeting" and any(a <= f[1] < b for a, b in gen_spans))]
    # "The meeting of A and B focused on ... the forthcoming meeting of NATO": the first, anaphoric one reports
    first_ref = next((f for f in found if f[0] == "generic" and _MEETING_WORD.search(s[f[1]:f[2]])), None)
    if first_ref is not None and not any(f[0] == "meeting" and f[1] < first_ref[1] for f in found):
        found = [f for f in found if f[0] != "meeting"]
    # "called on the prime minister" is a courtesy meeting, not a phone call
    found = [f for f in found if not (f[0] == "call" and _CALLED_ON.match(s, f[1]))]
    # an invitation swallows the visit/meeting it invites to
    inv = [f for f in found if f[0] == "invitation"]
    if inv:
        first = inv[0][1]
        found = [f for f in found if not (f[0] in ("visit", "meeting", "generic") and f[1] > first)]
    types = {f[0] for f in found}
    if "negotiation" in types:
        if not _NEGOTIATION_FORMAL.search(s):
            found = [(("generic",) + f[1:3] + ("talk",)) if f[0] == "negotiation" else f for f in found]
        else:
            # the talks/meeting words of a negotiation sentence are that negotiation
            found = [f for f in found if f[0] not in ("generic", "meeting")]
    types = {f[0] for f in found}
    if types & {"call", "video_call"}:
        found = [f for f in found if f[0] != "generic"]
        if "video_call" in types and "call" in types:
            vids = [f for f in found if f[0] == "video_call"]
            calls = [f for f in found if f[0] == "call"]
            if any(c[1] < v[1] and _VIRTUAL.search(s[v[1]:v[2]]) for c in calls for v in vids):
                # a teleconference that arranged virtual talks: the teleconference is the contact
                found = [f for f in found if f[0] != "video_call"]
            else:
                found = [f for f in found if f[0] != "call" or not any(v[1] - 8 <= f[1] < v[2] + 8 for v in vids)]
        # "meeting" words in a call sentence are the call's own ("video meeting")
        found = [f for f in found if not (f[0] == "meeting" and _MEET.match(s, f[1]))]
    types = {f[0] for f in found}
    if types & {"meeting", "agreement", "invitation", "negotiation"}:
        found = [f for f in found if f[0] != "generic"]
    # "not ready for talks", "called for talks", "refused to meet": no contact took place or is agreed
    found = [f for f in found
             if not _NEGATED.search(s[max(0, f[1] - 40):f[1]], None if folded is None else folded[max(0, f[1] - 40):f[1]])]
    # one generic per sentence: a conversation word beats a discussion word
    gens = [f for f in found if f[0] == "generic"]
    refs = [(g[1], g[2]) for g in gens if g[3] == "ref"]
    gens = [g for g in gens if not (g[3] == "talk" and any(a <= g[1] < b for a, b in refs))]
    found = [f for f in found if f[0] != "generic" or f in gens]
    if len(gens) > 1:
        keep = next((g for g in gens if g[3] == "talk"), gens[0])
        found = [f for f in found if f[0] != "generic" or f is keep]
    return found


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


class _State:
    def __init__(self) -> None:
        self.last_subject: _Side | None = None
        self.last_event: _Cand | None = None
        self.last_person_by_cc: dict[str, _Side] = {}
        self.medium: str | None = None  # call/video_call/meeting of the article's latest typed contact trigger
        # where that trigger is, (sentence, offset): _finalise dates it only for the few contacts that take its day
        self.medium_at: tuple[str, int] | None = None
        # the gathering later sentences may add participants to ("The meeting was co-chaired by A and B.", "C also
        # took part."): the latest meeting/call, or one whose first sentence named fewer than two countries
        self.group: _Cand | None = None
        self.group_si = -1
        self.group_pending = False
        self.group_src: tuple[str, int, list[str], int] | None = None  # a pending gathering's sentence, trigger, places


# a sentence that adds participants to the gathering just reported, without reporting a contact of its own
_JOINED = _Folded(
    r"^\W*(?:also\s+)?(?:participating|taking part|present|attending|joining)\s+(?:in|at|during)\s+(?:the|this)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:meeting|conference|videoconference|session|talks|call|gathering)\b|"
    r"^\W*also (?:present|attending|participating|taking part)\b|"
    r"^\W*(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:meeting|conference|videoconference|session|talks|call|gathering)\s+"
    r"(?:was|were)\s+(?:also\s+)?(?:co-?chaired|chaired|attended|joined|moderated)\b|"
    r"\b(?:co-?)?chaired\s+(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:meeting|conference|videoconference|session|talks)\s*[.,;]|"
    r"\b(?:also|too)\s+(?:participated|took part|attended|joined)\b")
_GROUP_TYPES = ("meeting", "video_call", "call")


def _joined_ref(s: str, low: str | None, gate_mask: int) -> bool:
    # the gate's words decide only where the lower-cased patterns would (see _lower_matches_alike)
    if low is not None and not gate_mask & _JOINED_BIT:
        return False
    m = _JOINED.search(s, low)
    return m is not None and " with " not in s[m.end():]


def extract_events(text: str, mentions: Sequence[Mention], published_date: date | None,
                   title: str | None = None) -> list[EventRecord]:
    if not text:
        return []
    if len({m.country_code for m in mentions if m.country_code}) < 2:
        return []  # no two countries or organisations in the article: no international contact to report
    doc = _Doc(text, mentions)
    sents = split_sentences(text)
    cands: list[_Cand] = []
    st = _State()
    para_first: dict[int, int] = {}

    for si, sent in enumerate(sents):
        para_first.setdefault(sent.para, si)
        s = text[sent.start:sent.end]
        if sent.reportable:
            low = s.lower()
            doc.lower_cache[sent.start] = low if _lower_matches_alike(s, low) else None  # for alike_lower
            doc.gate_masks[si] = gate_mask = _GATE.mask(low)
            triggers = _find_triggers(s, low, gate_mask)
        else:
            triggers = []
        # the gate's words decide only where the lower-cased patterns would (see _lower_matches_alike)
        if triggers and (gate_mask & _NOT_CONTACT_BIT or doc.alike_lower(sent) is None) and _NOT_CONTACT.search(s):
            triggers = []
        if (st.group is not None and sent.reportable and si - st.group_si <= 3
                and _joined_ref(s, doc.alike_lower(sent), gate_mask)):
            joiners = [_side_of(m) for m in doc.in_span(sent.start, sent.end) if m.label == "PERSON" and m.country_code]
            if joiners:
                g = st.group
                g.sides = _dedupe([*g.sides, *joiners])
                st.group_si = si
                if st.group_pending and len(_countries(g.sides)) >= 2:
                    # dated and placed only now: most gatherings of one country never get a second
                    gs, a, locs_g, gsi = st.group_src
                    g.status = _status(gs, a, g.t1 - g.sent.start, g.etype, doc.alike_lower(g.sent))
                    g.location = _location(gs, locs_g, a)
                    pf = para_first.get(g.sent.para, gsi)
                    ctx = text[sents[pf].start:sents[gsi - 1].end] if pf < gsi else None
                    g.event_date, g.date_source = event_date(gs, a, published_date, g.status == "planned", ctx)
                    cands.append(g)
                    st.group_pending = False
                    st.last_event = g
                triggers = []  # the sentence reports who took part, not a contact of its own
        if triggers:
            persons, bodies, locs = _sentence_sides(doc, sent, sent.start, sent.end)
        else:
            persons = [_side_of(m) for m in doc.in_span(sent.start, sent.end) if m.label == "PERSON" and m.country_code]
            bodies, locs = [], []
        subj_ref = _subject_ref(doc, s, sent, persons, bodies, st) if triggers else None
        made_here: list[_Cand] = []
        trig = _dedupe_trigger_types(triggers)
        claimed: dict[int, set[str]] = {}
        if len(trig) > 1:
            for k, (etype, a, b, rule) in enumerate(trig):
                lo = sent.start if k == 0 else sent.start + (trig[k - 1][2] + a) // 2
                hi = sent.end if k == len(trig) - 1 else sent.start + (b + trig[k + 1][1]) // 2
                p2, b2, _ = _sentence_sides(doc, sent, lo, hi)
                loc = _resolve_sides(doc, s, sent, etype, sent.start + b, p2, b2, None, st, local=True)
                if loc:
                    claimed[k] = {x.key for x in loc if not x.person}
        for k, (etype, a, b, rule) in enumerate(trig):
            t0, t1 = sent.start + a, sent.start + b
            sides = None
            if len(trig) > 1:
                # several contacts in one sentence: each takes the sides of its own stretch first
                lo = sent.start if k == 0 else sent.start + (trig[k - 1][2] + a) // 2
                hi = sent.end if k == len(trig) - 1 else sent.start + (b + trig[k + 1][1]) // 2
                p2, b2, _ = _sentence_sides(doc, sent, lo, hi)
                sides = _resolve_sides(doc, s, sent, etype, t1, p2, b2, None, st, local=True)
            if sides is None:
                taken = set().union(*(v for j, v in claimed.items() if j != k)) if claimed else set()
                bodies_k = [x for x in bodies if x.key not in taken]
                sides = _resolve_sides(doc, s, sent, etype, t1, persons, bodies_k, subj_ref, st)
            if sides is None:
                continue
            groups = _split_groups(doc, s, sent, etype, sides, triggers)
            status = _status(s, a, b, etype, doc.alike_lower(sent))
            for g in groups:
                if len(_countries(g)) < 2:
                    continue
                c = _Cand(etype=etype, rule=f"{rule}:{s[a:b].lower()}", status=status, sides=g, sent=sent, t0=t0, t1=t1)
                c.initiator_cc = _initiator(s, sent, g, doc)
                c.location = _location(s, locs, a)
                ctx = None
                pf = para_first.get(sent.para, si)
                if pf < si:
                    ctx = text[sents[pf].start:sents[si - 1].end]
                c.event_date, c.date_source = event_date(s, a, published_date, status == "planned", ctx)
                c.reports.append(sent)
                c.medium = st.medium
                c.own_sides = len({x.cc for x in persons + bodies if x.cc}) >= 2
                c.medium_at = st.medium_at
                made_here.append(c)
        cands.extend(made_here)
        if made_here:
            st.last_event = made_here[-1]
            if made_here[-1].etype in _GROUP_TYPES:
                st.group, st.group_si, st.group_pending = made_here[-1], si, False
        else:
            # a gathering whose sentence names fewer than two countries ("X took part in the meeting of the
            # Contact Group"): the next sentences may name the others
            pend = next(((etype, a, b, rule) for etype, a, b, rule in trig if etype in ("meeting", "video_call")), None)
            if pend is not None:
                etype, a, b, rule = pend
                c = _Cand(etype=etype, rule=f"{rule}:{s[a:b].lower()}", status="occurred",
                          sides=_dedupe([*persons, *bodies]), sent=sent, t0=sent.start + a, t1=sent.start + b)
                c.reports.append(sent)
                c.medium, c.medium_at = st.medium, st.medium_at
                st.group, st.group_si, st.group_pending = c, si, True
                st.group_src = (s, a, locs, si)
        for etype, a, b, rule in trig:
            if etype in ("call", "video_call", "meeting"):
                st.medium = etype
                st.medium_at = (s, a)
        # update the discourse state after the sentence
        for p in persons:
            st.last_person_by_cc[p.cc] = p
        subj = _subject(doc, sent, persons)
        if subj_ref is not None and subj_ref.person:
            st.last_subject = subj_ref
        elif subj is not None:
            st.last_subject = subj
    return _finalise(doc, sents, cands, published_date, title)


def _subject(doc: _Doc, sent: Sentence, persons: list[_Side]) -> _Side | None:
    if not persons:
        return None
    first = persons[0]
    if first.pos - sent.start <= 80:
        return first
    return None


def _subject_ref(doc: _Doc, s: str, sent: Sentence, persons: list[_Side], bodies: list[_Side], st: _State) -> _Side | None:
    """The person a sentence-initial "He" / "The minister" / "The Turkish minister" refers to."""
    m = _SUBJ_PRONOUN.match(s, doc.alike_lower(sent))
    if m is None:
        return None
    first_pos = min((x.pos for x in persons), default=sent.end) - sent.start
    if m.end() > first_pos + 1:
        return None
    # a nationality inside the phrase ("The Turkish minister") picks the last person of that country
    for x in doc.in_span(sent.start + m.start(), sent.start + m.end()):
        if x.country_code and x.label in ("NORP", "GPE", "ROLE"):
            p = st.last_person_by_cc.get(x.country_code)
            if p is not None:
                return _Side(p.name, p.cc, p.role, p.entity_id, p.key, sent.start, True)
            return _Side(x.canonical_name or x.text, x.country_code, None, None, f"BODY:{x.country_code}", sent.start, False)
    ls = st.last_subject
    if ls is None:
        return None
    return _Side(ls.name, ls.cc, ls.role, ls.entity_id, ls.key, sent.start, True)


# the inline patterns of _resolve_sides, compiled once
_HOSTING_VERB_BEFORE = re.compile(r"(?:\b(?:a|the|welcomed|welcomes|received|receives|hosted|met)\s+(?:\w+\s+)?)$")
_TO_THE_COUNTRY = re.compile(r"\b(?:to|in|visit(?:ing|ed)?)\s+the country\b")
_SPEAKER_PRONOUN = _rx(r"\b(?:I|we|he|she)\b")


def _resolve_sides(doc: _Doc, s: str, sent: Sentence, etype: str, t1: int, persons: list[_Side], bodies: list[_Side],
                   subj_ref: _Side | None, st: _State, local: bool = False) -> list[_Side] | None:
    sides: list[_Side] = []
    if subj_ref is not None:
        sides.append(subj_ref)
    sides.extend(persons)
    for b in bodies:
        if b.key.startswith("ROLE:"):
            p = st.last_person_by_cc.get(b.cc)
            if p is not None:
                sides.append(_Side(p.name, p.cc, p.role, p.entity_id, p.key, b.pos, True))
            else:
                sides.append(_Side(b.name or b.cc, b.cc, b.role, None, b.key, b.pos, False))
    others = [b for b in bodies if not b.key.startswith("ROLE:")]
    if etype == "visit":
        trig_word = s[t1 - sent.start - 8:t1 - sent.start].lower()
        adjectival = trig_word.endswith("visiting") and _HOSTING_VERB_BEFORE.search(s[:t1 - sent.start - 8])
        host_m = None if adjectival else _visit_host(doc, sent, t1, doc.in_span(sent.start, sent.end))
        host_cc = host_m.country_code if host_m is not None else None
        if adjectival:
            # "welcomed visiting Moldova's minister", "received a visiting delegation of ...": the visitor follows
            vis = next((x for x in sides + others if x.pos >= t1), None)
            hosts = [x for x in sides + others if vis is not None and x.cc != vis.cc]
            if vis is not None and hosts:
                host_cc = hosts[0].cc
        if host_cc is None and _TO_THE_COUNTRY.search(s) and st.last_event is not None:
            subj_cc = sides[0].cc if sides else None
            host_cc = next((x.cc for x in st.last_event.sides if x.cc != subj_cc), None)
            host_m = None
        if host_cc:
            cand = sides + others
            visitors = [x for x in cand if x.cc != host_cc]
            host_people = [x for x in cand if x.cc == host_cc and x.person]
            if visitors:
                host_side = host_people or ([_side_of(host_m, person_like=False)] if host_m is not None
                                            else [_Side(host_cc, host_cc, None, None, f"BODY:{host_cc}", t1, False)])
                sides = [visitors[0]] + [x for x in visitors[1:] if x.cc == visitors[0].cc and x.person] + host_side
            else:
                sides = cand
        else:
            sides = sides + others
    elif len(_countries(sides)) < 2:
        sides = sides + others
    if (not local and len(_countries(sides)) == 1 and st.last_subject is not None and etype in ("meeting", "call", "video_call")
            and st.last_subject.cc not in _countries(sides) and not any(x.pos < t1 for x in sides if x.person)
            and not _GROUP_REF.search(s, doc.alike_lower(sent)) and not _SPEAKER_PRONOUN.search(s[:max(0, t1 - sent.start)])):
        ls = st.last_subject
        sides.insert(0, _Side(ls.name, ls.cc, ls.role, ls.entity_id, ls.key, sent.start, True))
    if local:
        sides = _dedupe(sides)
        return sides if len(_countries(sides)) >= 2 else None
    # back-references to the previous contact's sides
    cc = _countries(sides)
    if len(cc) < 2 and st.last_event is not None:
        low = doc.alike_lower(sent)
        cp = _COUNTERPART.search(s, low)
        grp = _GROUP_REF.search(s, low) or (etype == "visit" and _DEFINITE_VISIT.search(s))
        if cp or grp:
            prev = st.last_event.sides
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
    same_type = sum(1 for t in triggers if t[0] == etype)
    if _JOINT.search(s) and not _MULTI_SPLIT.search(s):
        return [sides]
    persons = [x for x in sides if x.person]
    if not persons:
        return [sides]
    hub = max(persons, key=lambda p: (doc.freq.get(p.key, 0), -p.pos))
    split = bool(_MULTI_SPLIT.search(s)) or same_type >= 2
    if not split and etype in ("call", "video_call", "generic"):
        # "Zelensky spoke with Macron, Scholz and Meloni": one caller, several counterparts after the verb ->
        # separate calls, unless the text names one call ("had a phone call with A and B")
        t0 = next((sent.start + t[1] for t in triggers if t[0] == etype), sent.start)
        before = {x.cc for x in sides if x.pos < t0}
        after = {x.cc for x in sides if x.pos >= t0} - before
        if len(before) == 1 and len(after) >= 2 and not _ONE_CALL.search(s):
            split = True
            hub = next(x for x in sides if x.pos < t0 and x.person) if any(x.pos < t0 and x.person for x in sides) else hub
    if not split:
        return [sides]
    groups = []
    for cc in sorted({x.cc for x in sides if x.cc != hub.cc}, key=lambda c: min(x.pos for x in sides if x.cc == c)):
        groups.append([hub] + [x for x in sides if x.cc == cc])
    return groups


def _initiator(s: str, sent: Sentence, sides: list[_Side], doc: _Doc) -> str | None:
    m = _INITIATIVE.search(s, doc.alike_lower(sent))
    if not m:
        return None
    # (the text from ``s``: the match may be on the lower-cased sentence)
    if s[m.start():m.end()].lower().startswith("received"):
        cut = sent.start + m.end()
        after = [x for x in sides if x.pos >= cut]
        return after[0].cc if after else None
    g = 1 if m.group(1) else 2 if m.group(2) else 0
    who = s[m.start(g):m.end(g)].lower() if g else ""
    if "latter" in who and sides:
        return sides[-1].cc
    for x in sides:
        if x.name and x.name.lower().split()[-1] in who:
            return x.cc
    for x in doc.in_span(sent.start + m.start(), sent.start + m.end() + 12):
        if x.country_code:
            return x.country_code
    return None


_NOT_VENUE = re.compile(r"\b(?:situation|war|conflict|crisis|developments|events|attacks?|fighting|invasion|aggression|"
                        r"presence|troops|forces|brigade|battalion|units?|base|bases|operations?|interests|support|peace|stability|security|deployment|situation)\s+(?:\w+\s+)?$", re.I)


def _location(s: str, locs: list[str], a: int = 0) -> str | None:
    """Where the contact took place: "in/at <place>" stated after the trigger (not "the war in Ukraine")."""
    best = None
    for l in locs:
        for m in re.finditer(r"\b(?:in|at)\s+(?:the\s+)?" + re.escape(l) + r"\b", s):
            if m.start() < a - 60 or m.start() > a + 160 or _NOT_VENUE.search(s[max(0, m.start() - 30):m.start()]):
                continue
            if best is None or abs(m.start() - a) < best[0]:
                best = (abs(m.start() - a), l)
    return best[1] if best else None


def _merge_key(c: _Cand) -> frozenset[str]:
    return _countries(c.sides)


def _compatible(a: _Cand, b: _Cand) -> bool:
    """Same sides: same countries, and where both name persons of a country, a common person."""
    countries = _merge_key(a)
    if countries != _merge_key(b):
        return False
    for cc in countries:
        ka = {x.key for x in a.sides if x.person and x.cc == cc}
        kb = {x.key for x in b.sides if x.person and x.cc == cc}
        if ka and kb and not (ka & kb):
            return False
    return True


def _absorb(tgt: _Cand, c: _Cand) -> None:
    tgt.reports.extend(r for r in c.reports if r not in tgt.reports)
    if tgt.event_date is None and c.event_date is not None and c.status == tgt.status:
        tgt.event_date, tgt.date_source = c.event_date, c.date_source
    if tgt.location is None:
        tgt.location = c.location
    if tgt.initiator_cc is None:
        tgt.initiator_cc = c.initiator_cc
    tgt.sides = _dedupe([*tgt.sides, *c.sides])


_INVITATION_OF = _rx(r"\binvitation (?:of|from)\b")
# "held talks with X at Ulinzi House" / "in Nairobi": a place after the talks makes them a meeting (case-sensitive)
_AT_PLACE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?(?!(?:January|February|March|April|May|June|July|August|September|"
                       r"October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z][\w'’-]+")


def _finalise(doc: _Doc, sents: list[Sentence], cands: list[_Cand], published: date | None,
              title: str | None) -> list[EventRecord]:
    text = doc.text
    # 1. generic contacts ("talks", "the conversation", "the meeting") join an explicit contact of the same
    #    sides in the article; else they take the medium the article last stated; else meeting when travel or a
    #    place is stated, else call (a conversation of unstated medium with no travel).
    explicit = [c for c in cands if c.etype != "generic"]
    dropped: set[int] = set()
    para_text: dict[int, str] = {}
    for x in sents:
        para_text[x.para] = para_text.get(x.para, "") + " " + text[x.start:x.end]
    for phase in ("talk:", "ref:"):
        for c in cands:
            if c.etype != "generic" or c.rule.startswith("ref:") != (phase == "ref:"):
                continue
            host = next((e for e in explicit if e.status == c.status and e.etype in ("call", "video_call", "meeting", "negotiation")
                         and _compatible(e, c)), None)
            if host is None and phase == "ref:":
                # "discussions with Poland are set to begin" after "announced negotiations with Poland": a reference
                host = next((e for e in explicit if e.etype in ("call", "video_call", "meeting", "negotiation")
                             and _compatible(e, c)), None)
            if host is not None:
                _absorb(host, c)
                dropped.add(id(c))
                continue
            para = para_text.get(c.sent.para, "")
            if phase == "ref:":
                # "the meeting", "discussed": a reference to a contact the article reported before
                prior = [e for e in explicit if e.reports[0].start <= c.sent.start and e.etype in ("call", "video_call", "meeting")]
                medium = prior[-1].etype if prior else c.medium
                if medium is None and not c.own_sides:
                    dropped.add(id(c))
                    continue
                c.etype = medium or ("meeting" if (_IN_PERSON.search(para) or c.location) else "call")
                medium_date = event_date(*c.medium_at, published, False)[0] if c.event_date is None and c.medium_at else None
                if medium_date is not None:
                    c.event_date, c.date_source = medium_date, "same_occasion"
            elif _IN_PERSON.search(para) or c.location is not None or _AT_PLACE.search(text, c.t1, c.sent.end):
                c.etype = "meeting"
            else:
                c.etype = "call"
            c.rule = c.rule + "->" + c.etype
            explicit.append(c)
    resolved = [c for c in cands if id(c) not in dropped]
    # 2. merge reports of the same contact: same type, same sides, same status, compatible dates
    merged: list[_Cand] = []
    for c in resolved:
        tgt = None
        for m in merged:
            if m.etype != c.etype or m.status != c.status or not _compatible(m, c):
                continue
            if m.event_date and c.event_date and m.event_date != c.event_date:
                continue
            tgt = m
            break
        if tgt is None:
            merged.append(c)
        else:
            _absorb(tgt, c)
    # 2b. "The South Korean delegation is led by Lee Tae-woo", "Lt Gen A Sengupta led the Indian side": the named
    #     head replaces the body or country standing for that side in the nearest contact reported before
    for x in sents:
        st_ = text[x.start:x.end]
        if " by " not in st_ and " led " not in st_ or not _LED_BY.search(st_):
            continue
        heads = [m for m in doc.in_span(x.start, x.end) if m.label == "PERSON" and m.country_code]
        for h in heads:
            tgt = None
            for c in merged:
                if c.reports[0].start <= x.start and any(not y.person and y.cc == h.country_code for y in c.sides) \
                        and not any(y.person and y.cc == h.country_code for y in c.sides):
                    if tgt is None or c.reports[0].start >= tgt.reports[0].start:
                        tgt = c
            if tgt is not None:
                tgt.sides = _dedupe([*tgt.sides, _side_of(h)])
    # 3. an undated contact of the same sides as a dated one in the article happened on its occasion
    #    (the invitation extended during the call, the talks during the visit)
    earlier_cache: dict[int, bool] = {}

    def earlier(c: _Cand) -> bool:
        v = earlier_cache.get(id(c))
        if v is None:
            v = earlier_cache[id(c)] = any(_EARLIER.search(text[r.start:r.end], doc.alike_lower(r)) for r in c.reports)
        return v

    for c in merged:
        if c.event_date is None and not earlier(c):
            src = next((m for m in merged if m is not c and m.event_date is not None and m.status == c.status
                        and _compatible(m, c) and not earlier(m)), None)
            if src is not None:
                c.event_date, c.date_source = src.event_date, "same_occasion"
    # contacts on the sidelines of the article's dated lead contact, with its protagonist, are of that day
    lead = min(merged, key=lambda m: m.reports[0].start) if merged else None
    if lead is not None and lead.event_date is not None and lead.status == "occurred":
        lead_people = {x.key for x in lead.sides if x.person}
        for c in merged:
            if (c.event_date is None and c.status == "occurred" and c.etype == lead.etype and not earlier(c)
                    and lead_people & {x.key for x in c.sides if x.person}):
                c.event_date, c.date_source = lead.event_date, "lead_occasion"
    # 4. topics: the reporting sentences, and the sentences after a report that still describe that contact
    #    (they name one of its persons, refer back to it - "the two ministers", "the talks", "he" - or follow it
    #    directly), up to the next report of another contact (invitations extended during a call do not end it)
    index = {(x.start, x.end): i for i, x in enumerate(sents)}
    owners: dict[int, set[int]] = {}
    for ci, c in enumerate(merged):
        if c.etype == "invitation":
            continue
        for r in c.reports:
            owners.setdefault(index[(r.start, r.end)], set()).add(ci)
    report_idx = sorted(owners)
    persons_cache: dict[int, tuple[set[str], set[str]]] = {}
    topic_ref_cache: dict[int, bool] = {}

    def topic_ref(j: int) -> bool:
        """Does sentence j refer back to a contact ("the two ministers", "the talks", "he")?"""
        v = topic_ref_cache.get(j)
        if v is None:
            x = sents[j]
            v = topic_ref_cache[j] = _topic_ref(text[x.start:x.end], doc.alike_lower(x))
        return v

    def persons_at(j: int) -> tuple[set[str], set[str]]:
        """(keys, countries) of the persons named in sentence j; only the sentences after a report are asked."""
        v = persons_cache.get(j)
        if v is None:
            ms = [m for m in doc.in_span(sents[j].start, sents[j].end) if m.label == "PERSON"]
            v = persons_cache[j] = ({m.key for m in ms}, {m.country_code for m in ms if m.country_code})
        return v
    out: list[EventRecord] = []
    title_l = (title or "").lower()
    hit_cache: dict[int, frozenset[str]] = {}

    def hits(j: int) -> frozenset[str]:
        h = hit_cache.get(j)
        if h is None:
            low = text[sents[j].start:sents[j].end].lower()
            mask = doc.gate_masks.get(j)
            if mask is None:
                mask = _GATE.mask(low)
            h = hit_cache[j] = topic_hits_gated(low, mask >> _TOPIC_SHIFT)
        return h

    topic_sets: list[tuple[str, ...]] = []
    for ci, c in enumerate(merged):
        chunks: list[int] = []
        keys = {x.key for x in c.sides if x.person}
        for r in c.reports:
            i = index[(r.start, r.end)]
            chunks.append(i)
            if c.etype == "invitation":
                continue
            nxt = next((j for j in report_idx if j > i and owners[j] - {ci}), len(sents))
            last_para = r.para
            for j in range(i + 1, min(nxt, i + 8)):
                x = sents[j]
                if not x.reportable:
                    break
                person_keys, person_ccs = persons_at(j)
                others = person_ccs - _countries(c.sides)
                if (j <= i + 1 and not others) or (person_keys & keys) or topic_ref(j) \
                        or (ci in owners.get(j, ())) or (x.para == last_para and not others):
                    chunks.append(j)
                    last_para = x.para
        topic_sets.append(combine_topics([hits(j) for j in chunks]) if c.etype != "invitation" else ())
    # a visit reported without its own subject matter shares that of the talks held during it
    for ci, c in enumerate(merged):
        if c.etype == "visit" and not topic_sets[ci]:
            mate = next((k for k, m in enumerate(merged) if m.etype in ("meeting", "negotiation")
                         and m.status == c.status and _compatible(m, c) and topic_sets[k]), None)
            if mate is not None:
                topic_sets[ci] = topic_sets[mate]
    for ci, c in enumerate(merged):
        topics = topic_sets[ci]
        ev = c.reports[0]
        if not topics and not any(_SECURITY.search(text[r.start:r.end]) for r in c.reports) and (
                not any(x.person for x in c.sides) or any(x.cc in _CIVIL_ORGS for x in c.sides)):
            # nothing about defence or security, and states/bodies only (trade talks, cultural agreements) or an
            # organisation code that also covers civil agencies (the World Bank is coded UN): not a defence contact
            continue
        if c.etype == "invitation":
            sides = list(c.sides)
            ev_text = text[c.reports[0].start:c.reports[0].end]
            m_of = _INVITATION_OF.search(ev_text)
            if m_of is not None:
                cut = c.reports[0].start + m_of.end()
                after = [x for x in sides if x.pos >= cut]
                if after:
                    sides = [after[0]] + [x for x in sides if x is not after[0]]
        else:
            sides = sorted(c.sides, key=lambda x: 0 if (c.initiator_cc and x.cc == c.initiator_cc) else 1)
        parts = tuple(
            Participant(name=x.name or x.cc, country_code=x.cc, role=x.role, entity_id=x.entity_id,
                        is_initiator=bool(c.initiator_cc and x.cc == c.initiator_cc) or (c.etype == "invitation" and i == 0))
            for i, x in enumerate(sides))
        is_main = bool(title_l) and any(
            p.name and p.name.split()[-1].lower() in title_l for p in parts if len(p.name) > 3)
        out.append(EventRecord(
            event_type=c.etype, status=c.status, participants=parts,
            evidence=text[ev.start:ev.end], evidence_start=ev.start, evidence_end=ev.end,
            event_date=c.event_date, date_source=c.date_source, topics=topics, location=c.location,
            rule=c.rule, is_main=is_main,
            extra={"n_reports": len(c.reports), "trigger": text[c.t0:c.t1]},
        ))
    if out and not any(e.is_main for e in out):
        out[0] = replace(out[0], is_main=True)
    return out
