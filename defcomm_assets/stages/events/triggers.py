"""Trigger rules: the words that report a contact, and which of them stand in a sentence.

Each rule is one ``Trigger`` record in ``TRIGGERS``: the event type it gives (a type of core.vocabulary, or
``generic`` - a contact of unstated medium that ``rules`` types later), its rule name (rows carry it:
``phone:held a phone call``), its case-insensitive pattern, and its anchors: lower-case substrings one of which
every text the pattern matches contains. A rule's regex runs only when one of its anchors occurs in the sentence
(``TRIGGER_GATE``); the tests write out every alternative of every pattern and check that it opens its gate.

* ``call`` phone/telephone/teleconference; ``video_call`` video conference/link, virtually; ``meeting`` met,
  received, welcomed, hosted, on the sidelines; ``visit`` visit, arrived in, travel to, welcome X to Y;
  ``negotiation`` formal negotiations, rounds, talks on a treaty; ``agreement`` signed/adopted/inked +
  agreement/memorandum/communique/deal; ``invitation`` invited, at the invitation of.
* ``generic``: ``talk`` "conversation", "held talks", "spoke with"; ``ref`` anaphoric "the meeting", "the talks",
  "discussed".
* ``NOT_CONTACT``: hoaxes and pranks report no contact. ``JOINED``: a sentence that adds participants to the
  gathering just reported, without reporting a contact of its own.

``find_triggers(s)`` gives the trigger phrases that stand in sentence ``s`` (a welcomed step, a negated or
proposed contact, a meeting word inside a call's or negotiation's own words do not), in order.

Pure module: no Dagster, no spaCy; regexes compiled at import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from defcomm_assets.core.vocabulary import EVENT_TYPES, REMOTE_TYPES
from defcomm_assets.stages.events.gate import RecordGate
from defcomm_assets.stages.events.patterns import Folded, GatedPattern, icase, lower_matches_alike, lower_pattern

# Groups of types the rules reason about (the types themselves are the vocabulary's)
GATHERING_TYPES: tuple[str, ...] = ("meeting", *REMOTE_TYPES)  # contacts several sides hold together


@dataclass(frozen=True)
class Trigger:
    etype: str  # an event type of vocabulary.EVENT_TYPES, or "generic" (a contact of unstated medium)
    rule: str  # the rule name the rows carry
    pattern: str  # case-insensitive
    anchors: tuple[str, ...]  # lower case: every text the pattern matches contains one of them
    rx: re.Pattern = field(init=False, repr=False, compare=False)  # the pattern, re.I
    rx_low: re.Pattern = field(init=False, repr=False, compare=False)  # for the lower-cased text (patterns.Folded)

    def __post_init__(self) -> None:
        assert self.etype in EVENT_TYPES or self.etype == "generic", self.etype
        object.__setattr__(self, "rx", icase(self.pattern))
        object.__setattr__(self, "rx_low", re.compile(lower_pattern(self.pattern)))


TRIGGERS: tuple[Trigger, ...] = (
    Trigger("video_call", "video",
            r"\bvideo[- ]?(?:(?:tele)?conference|(?:tele)?conferencing|call|link|meeting|format|talks?)s?\b|"
            r"\bvideoconferenc\w*|"
            r"\bvirtual(?:ly)?\b(?:\s+(?:meeting|talks|conversation|format))?|\bvia video\b|\bonline (?:meeting|talks|conversation)\b",
            ("video", "virtual", "online")),
    Trigger("call", "phone",
            r"\b(?:tele)?phone[- ]?(?:call|conversation|talks?|discussion|contact)s?\b|\btelephonic(?:ally)?\b(?:\s+(?:discussion|conversation|talks))?|"
            r"\bteleconference\b|\bspoke\s+(?:by|on the|over the|via)\s+(?:tele)?phone\b|\bby (?:tele)?phone\b|\bphoned\b|\btelephoned\b|"
            r"\b(?:had|held|hold|holds|having|made|make|received|receives|took|take|in|during|a|the|this|their)\s+"
            r"(?:a\s+|an\s+|the\s+|his\s+|her\s+|its\s+)?(?:(?!wake-up\b|courtesy\b)[\w-]+\s+){0,2}?call\b(?!\s+(?:on|for)\b)",
            ("phone", "telephon", "teleconference", "call")),
    Trigger("invitation", "invite",
            r"\binvit(?:ed|es|e|ing|ation)\b",
            ("invit",)),
    Trigger("agreement", "sign",
            r"\b(?:sign(?:ed|s|ing)?|ink(?:ed|s)?|conclud(?:ed|e)|adopt(?:ed|s)?|issued)\b[^.;]{0,80}?\b(?:agreements?|memorand(?:um|a)|MoUs?|communiqu[eé]s?|declarations?|contracts?|accords?|pacts?|deals?|treat(?:y|ies)|protocols?|roadmaps?|road maps?|letters? of intent)\b|"
            r"\b(?:agreements?|memorand(?:um|a)|MoUs?|contracts?|accords?|pacts?|deals?|treat(?:y|ies)|protocols?)\b[^.;]{0,100}?\b(?:(?:was|were|will be|is to be|to be)\s+signed|signing)\b|"
            r"(?<!envisaged by the )(?<!under the )(?<!in line with the )\bjoint (?:communiqu[eé]|statement|declaration)\b(?=[^.;]{0,40}\b(?:adopted|issued|signed|agreed)\b)|"
            r"\b(?:adopted|issued|signed|agreed on)\s+(?:a|the)\s+(?:\w+\s+){0,2}joint (?:communiqu[eé]|statement|declaration)\b",
            ("sign", "ink", "conclud", "adopt", "issued", "joint communi", "joint statement",
             "joint declaration", "agreed on")),
    Trigger("negotiation", "negotiate",
            r"\bpeace talks\b|\btalks\b(?:\s+between\s+[^.;]{0,60}?)?\s+on\s+(?:a|the)\s+(?:[\w-]+\s+){0,3}?(?:treaty|agreement|deal|accord|ceasefire)\b|\bnegotiat(?:ions?|ing|ed|e)\b|\bconsultations\b|\bround\b[^.;]{0,70}?\b(?:talks|meeting|dialogue|consultations|negotiations)\b|\b(?:level|format) talks\b",
            ("negotiat", "consultations", "round", "level talks", "format talks", "talks")),
    Trigger("visit", "visit",
            r"\bwelcom(?:ed|es|e|ing)\b(?=[^.;]{0,80}?\bto\s+(?:the\s+)?[A-Z])|\bvisit(?:s|ed|ing)?\b|\barriv(?:ed|es|e|ing)\s+(?:in|at)\b|\btravel(?:s|led|ed|ling|ing)?\s+to\b|\b(?:trip|tour|journey)\s+to\b",
            ("visit", "arriv", "travel", "trip", "tour", "journey", "welcom")),
    Trigger("meeting", "meet",
            r"\bmet\b|\bmeet(?:s|ing|ings)?\b|\breceived\b(?!\s+(?:a\s+|on\s+\w+\s+)?(?:tele)?(?:phone|call))|\breceives\b|\breceive\s+(?=(?:his|her|their|the|a)\s+(?:[\w-]+\s+){0,3}?(?:colleague|counterpart|delegation|minister|president|chief|general|ambassador|prime minister|secretary))|"
            r"\bwelcom(?:ed|es|ing)\b|\bhosted\b|\bhosts\b|\bcall(?:ed|s)? on\b|\bsidelines\b|\binterview with\b|\bbilateral talks\b|\battended\b|"
            r"\btook part\b|\bparticipated\b|\b(?:three|four)-way discussion\b|"
            r"\btrilateral\b(?!\s+(?:defen[cs]e\s+|security\s+|military\s+)?(?:cooperation|partnership|relations|ties|framework|exercises?|drills?|alliance|pacts?|agreements?|coordination|mechanism|dialogue)\b)|"
            r"\bin-person\b|\bface-to-face\b",
            ("met", "meet", "receiv", "welcom", "host", "call", "sideline", "interview", "bilateral talks",
             "attended", "took part", "participated", "-way discussion", "trilateral", "in-person",
             "face-to-face")),
    Trigger("generic", "ref",
            r"\b(?:the|this|that|these|during the|at the|after the)\s+(?:\w+\s+)?(?:meeting|gathering|talks|conversation)\b|\bdiscuss(?:ed|es|ing|ion|ions)?\b|\bdialogue\b|\bexchanged views\b|\bcontacts?\b",
            ("meeting", "gathering", "talks", "conversation", "discuss", "dialogue", "exchanged views",
             "contact")),
    Trigger("generic", "talk",
            r"\bheld talks\b|\bhold(?:s|ing)? talks\b|\bconversations?\b|\btalks?\b|\bspoke\b|\bspeak(?:s|ing)?\s+(?:to|with)\b|\btalked\b|\binteract(?:ed|ion)\b",
            ("talk", "conversation", "spoke", "speak", "interact")),
)
TRIGGER_GATE = RecordGate(TRIGGERS)

NOT_CONTACT = GatedPattern(r"\b(?:hoax|prank|impost[eo]r|fake|bogus|pranksters?)\b", ("hoax", "prank", "impost", "fake", "bogus"))
JOINED = GatedPattern(
    r"^\W*(?:also\s+)?(?:participating|taking part|present|attending|joining)\s+(?:in|at|during)\s+(?:the|this)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:meeting|conference|videoconference|session|talks|call|gathering)\b|"
    r"^\W*also (?:present|attending|participating|taking part)\b|"
    r"^\W*(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:meeting|conference|videoconference|session|talks|call|gathering)\s+"
    r"(?:was|were)\s+(?:also\s+)?(?:co-?chaired|chaired|attended|joined|moderated)\b|"
    r"\b(?:co-?)?chaired\s+(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:meeting|conference|videoconference|session|talks)\s*[.,;]|"
    r"\b(?:also|too)\s+(?:participated|took part|attended|joined)\b",
    ("particip", "taking part", "present", "attend", "join", "chair", "took part", "moderat"))


# the gate of the two: which of them can match a sentence
SCREEN_GATE = RecordGate((NOT_CONTACT, JOINED))


def joins_gathering(s: str, low: str | None, screens: tuple[GatedPattern, ...] | None = None) -> bool:
    """Does sentence ``s`` add participants to the gathering just reported (``JOINED``, and no "with" after it)?
    ``low``: the sentence lower-cased if lower_matches_alike, else None; ``screens``: ``SCREEN_GATE.open`` of the
    lower-cased sentence if known."""
    # the gate's words decide only where the lower-cased patterns would (see patterns.lower_matches_alike)
    if low is not None and JOINED not in (SCREEN_GATE.open(low) if screens is None else screens):
        return False
    m = JOINED.search(s, low)
    return m is not None and " with " not in s[m.end():]


_NEGOTIATION_FORMAL = icase(r"\bround\b|\bagreement\b|\bdeal\b|\btreaty\b|\bceasefire\b|\bcease-fire\b|\bsettlement\b|\bdelegations?\b|"
                            r"\blaunch|\bbeg[ia]n\b|\bbegun\b|\bstart|\bcommencement\b|\bcompleted\b|\bconcluded\b|\bheld\b|\bwill (?:hold|take place)\b|\bparameters\b|"
                            r"\bcost[- ]sharing\b|\bguarantee|\bcommitments\b|\bnegotiators?\b|\bnegotiating team\b")
_NEGATED = Folded(r"(?:\b(?:not|no|never|nor|without|refus\w*|reject\w*|declin\w*|rul\w* out|unwilling|cancel\w*|call(?:s|ed|ing)? for|urg\w*|propos\w*|offer\w*|demand\w*|seek\w*|sought|ready for|open to|willing to|hopes? for|possible|potential)\b[^.;,]{0,25}$)")

# the inline patterns of find_triggers, compiled once
_MEETING_WORD = icase(r"meeting|gathering")
_WELCOMED_THING = icase(r"\s+(?:the\s+|this\s+|a\s+|an\s+|[\w-]+['’]s\s+)?(?:[\w'’-]+\s+){0,3}?(?:steps?|"
                        r"applications?|bids?|accession|progress|decisions?|efforts?|moves?|"
                        r"initiatives?|announcements?|agreements?|commitments?|outcomes?|results?|proposals?|plans?|support|"
                        r"contributions?|readiness|opportunit(?:y|ies)|news|adoption|signing|establishment|launch|deployments?|"
                        r"approval|statements?|developments?|intentions?|willingness|measures|achievements?|success|expansion|"
                        r"strengthening|deepening|continuation|cooperation|partnership|participation|assistance|packages?)\b")
_CALLED_ON = icase(r"call(?:ed|s)? on\b")
_FRAMING_BEFORE = icase(r"\b(?:at|on|upon)\s+the\s+(?:[\w-]+\s+)?$")
_OF_AFTER = icase(r"\s+(?:of|from)\b")
_VIRTUAL = icase(r"virtual")
_MEET = icase(r"meet")


def find_triggers(s: str, low: str | None = None, opened: tuple[Trigger, ...] | None = None
                  ) -> list[tuple[str, int, int, str]]:
    """Trigger phrases of sentence ``s`` as (type, start, end, rule name), in order; ``low`` is ``s.lower()`` and
    ``opened`` its ``TRIGGER_GATE.open`` if known."""
    found: list[tuple[str, int, int, str]] = []
    if low is None:
        low = s.lower()
    # a trigger's regex runs only when one of its anchors occurs in the sentence
    if opened is None:
        opened = TRIGGER_GATE.open(low)
    folded = low if lower_matches_alike(s, low) else None
    if folded is not None:
        for t in opened:
            for m in t.rx_low.finditer(low):
                found.append((t.etype, m.start(), m.end(), t.rule))
    else:
        for t in opened:
            for m in t.rx.finditer(s):
                found.append((t.etype, m.start(), m.end(), t.rule))
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
    # an invitation swallows the visit/meeting it invites to ("invited him to visit Kyiv"); "at the invitation of
    # X" frames the visit it is said of, whatever the order ("At the invitation of X, Y visited ...")
    inv = [f for f in found if f[0] == "invitation" and not framing_invitation(s, f[1], f[2])]
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
                # the phone call next to the video words is that video call; a bare "call" is made by the video
                # medium the sentence states ("held a call with X by video teleconference")
                found = [f for f in found if f[0] != "call" or not (any(v[1] - 8 <= f[1] < v[2] + 8 for v in vids)
                                                                    or "phone" not in s[f[1]:f[2]].lower())]
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


def framing_invitation(s: str, a: int, b: int) -> bool:
    """Is the invitation trigger ``s[a:b]`` the framing of a contact: "at/on the (kind) invitation of/from X"?"""
    return (s[a:b].lower() == "invitation" and _OF_AFTER.match(s, b) is not None
            and _FRAMING_BEFORE.search(s, max(0, a - 30), a) is not None)


def first_of_each_type(triggers: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """One candidate per type per sentence: the first trigger of each type."""
    seen: set[str] = set()
    out = []
    for t in triggers:
        if t[0] in seen:
            continue
        seen.add(t[0])
        out.append(t)
    return out
