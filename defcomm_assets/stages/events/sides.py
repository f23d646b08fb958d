"""Sides of a contact: who acted, from the entities stage's mentions, and the discourse that back-references need.

* Persons with a country first, then bodies and countries that act: the subject, "with/between X", "ministry of X",
  "the Ukrainian and American delegations", an organisation - not places ("talks in Riyadh"), modifiers ("Russian
  drones", "the NATO summit"), passive agents or the other party of a conflict ("tensions with X").
* Back-references - "he", "the (Turkish) minister", "his/my counterpart", "the two ministers", "the sides",
  "today's visit" - take the article's last subject or the previous contact's sides (``Discourse``).
* A visit is visitor + host (the place right after the trigger, or the country "visited").
* A caller speaking with several counterparts makes separate bilaterals unless the text names one joint call
  (``split_groups``).
* At least two distinct countries (or organisations, vocabulary.ORGANISATION_CODES), or no international contact.
* Where it took place (``venue``), who took the initiative (``find_initiator``), whether two reports have the same
  sides (``compatible``).

``Article`` is the per-call state (text, mentions indexed by offset); ``Candidate`` a contact before merging.
Pure module: no Dagster, no spaCy model; regexes compiled at import.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from defcomm_assets.core.records import Mention
from defcomm_assets.core.sentences import Sentence
from defcomm_assets.core.vocabulary import ORGANISATION_CODES, REMOTE_TYPES
from defcomm_assets.stages.events.patterns import Folded, icase, lower_matches_alike
from defcomm_assets.stages.events.triggers import GATHERING_TYPES

_DEFINITE_VISIT = icase(r"(?:^\W*|\b(?:during|after|at the end of|at the conclusion of|in the course of|following)\s+)"
                        r"(?:the|this|that|today['’]s|yesterday['’]s|his|her|their)\s+(?:\w+\s+)?visit\b(?!\s+(?:of|by|to)\b)")
_LOC_PREP = re.compile(r"(?:\b(?:in|at|near|over|across|into|from|throughout|within|inside|around|towards?|against|about|on|for|under|via|through|across|along|by|beyond|off)\s+(?:the\s+)?$)", re.I)
_OF_ACTOR = re.compile(r"\b(?:ministry|ministries|minister|ministers|delegations?|government|governments|leaders?|representatives?|side|sides|president|presidents|army|armies|chiefs?|heads?|militar(?:y|ies)|defen[cs]e|prime ministers?|authorities|forces|commanders?|officials?|teams?|secretary|department|committee|parliament|navy|staff|ambassador|envoy)\b[^.,;:]{0,25}?\bof\s+(?:the\s+)?$", re.I)
_ACTOR_NOUN = re.compile(
    r"^(?:\s*(?:and|,|&)\s*(?:the\s+)?(?-i:[A-Z])[\w.]*(?:\s+(?-i:[A-Z])[\w.]+)?)*\s*(?:['’]s\s+)?(?:\w+\s+){0,2}?(?:ministers?|ministry|ministries|presidents?|prime ministers?|premiers?|counterparts?|colleagues?|delegations?|side|sides|team|government|officials?|"
    r"leaders?|chiefs?|generals?|commanders?|army|military|armed forces|secretary|ambassadors?|envoys?|negotiators?|authorities|partners|head|heads|representatives?|navy|air force|parliament|parliamentarians|bundestag|sejm|rada|congress|senate|committee|lawmakers|MPs|defen[cs]e (?:minister|ministry|chief|secretary|department|officials?|forces)|counterpart)\b",
    re.I)
_COUNTERPART = Folded(r"\b(?:his|her|their|its|my|our)\s+(?:(?:\w+|[A-Z][\w-]+)\s+){0,2}?(?:counterparts?|colleagues?|opposite numbers?|hosts?|guests?)\b")
_GROUP_REF = Folded(
    r"\b(?:(?:the |all )?(?:two|three|four|five|six|seven|eight|nine|ten)|both)\s+(?:[\w-]+\s+){0,2}?(?:ministers|sides|parties|leaders|officials|generals|chiefs|delegations|countries|heads|counterparts|commanders|presidents|men|nations|states|ministries|colleagues|partners)\b|"
    r"\bthe (?:sides|parties|ministers|officials|delegations|generals|counterparts|partners)\b(?!\s+of\b)|\b(?:they|them)\b")
_SUBJ_PRONOUN = Folded(r"^\W*(?:(?:[\w'’-]+\s+){0,4}?[\w'’-]+,\s+)?(?:he|she|the (?:[\w.-]+\s+){0,3}?(?:minister|president|secretary|general|chief|commander|head|premier|leader|admiral))\b")
_MULTI_SPLIT = re.compile(r"\bas well as\b|\band (?:also )?with\b|\bbesides\b|\bseparately\b|\brespectively\b|\bthen\b", re.I)
_ONE_CALL = re.compile(r"\b(?:a|one|the|joint|single)\s+(?:[\w-]+\s+){0,2}?(?:call|conversation|videoconference|video conference|"
                       r"teleconference|video call|phone call|meeting|talks)\s+(?:\w+\s+){0,2}?with\b", re.I)
_JOINT = re.compile(r"\bjoint\b|\btrilateral\b|\bthree-way\b|\bfour-way\b|\bmultilateral\b|\bbetween\b|\bmeeting of\b|\bsession\b|\bministerial\b|\bof (?:the )?(?:\w+ )?ministers\b", re.I)
_INITIATIVE = Folded(r"\b(?:at|on) the (?:initiative|request) of\s+(?:the\s+)?(\w+(?:\s+\w+)?)|\binitiated (?:by|at the request of)\s+(?:the\s+)?(\w+(?:\s+\w+)?)|\breceived\b[^.]{0,40}\bcall from\b")


@dataclass
class Side:
    name: str
    cc: str
    role: str | None = None
    entity_id: str | None = None
    key: str = ""
    pos: int = 0
    person: bool = False


def side_of(m: Mention, person_like: bool | None = None) -> Side:
    return Side(name=m.canonical_name or m.text, cc=m.country_code or "", role=m.role, entity_id=m.entity_id,
                 key=m.key or f"{m.label}:{m.canonical_name or m.text}", pos=m.start_char,
                 person=m.label == "PERSON" if person_like is None else person_like)


@dataclass
class Candidate:
    etype: str
    rule: str
    status: str
    sides: list[Side]
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


def dedupe_sides(sides: list[Side]) -> list[Side]:
    out: list[Side] = []
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


def countries(sides: list[Side]) -> frozenset[str]:
    return frozenset([s.cc for s in sides if s.cc])


class Article:
    """Per-call state: text, mentions indexed by offset, person frequencies."""

    def __init__(self, text: str, mentions: Sequence[Mention]):
        self.text = text
        ms = sorted((m for m in mentions if 0 <= m.start_char < m.end_char <= len(text)), key=lambda m: (m.start_char, -m.end_char))
        self.mentions = ms
        self.starts = [m.start_char for m in ms]
        self.freq = Counter(m.key for m in ms if m.label == "PERSON" and m.key)
        self.actor_cache: dict[tuple[int, int], str | None] = {}
        self.span_cache: dict[tuple[int, int], list[Mention]] = {}
        self.lower_cache: dict[int, str | None] = {}
        self.opened_topics: dict[int, tuple] = {}  # sentence index -> topics.TOPIC_GATE.open of the sentence

    def alike_lower(self, sent: Sentence) -> str | None:
        """The sentence lower-cased if the lower-cased patterns match it alike (lower_matches_alike), else None."""
        try:
            return self.lower_cache[sent.start]
        except KeyError:
            s = self.text[sent.start:sent.end]
            low = s.lower()
            v = self.lower_cache[sent.start] = low if lower_matches_alike(s, low) else None
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


class Discourse:
    def __init__(self) -> None:
        self.last_subject: Side | None = None
        self.last_event: Candidate | None = None
        self.last_person_by_cc: dict[str, Side] = {}
        self.medium: str | None = None  # type (call, video call, meeting) of the article's latest typed contact trigger
        # where that trigger is, (sentence, offset): _finalise dates it only for the few contacts that take its day
        self.medium_at: tuple[str, int] | None = None
        # the gathering later sentences may add participants to ("The meeting was co-chaired by A and B.", "C also
        # took part."): the latest meeting/call, or one whose first sentence named fewer than two countries
        self.group: Candidate | None = None
        self.group_si = -1
        self.group_pending = False
        self.group_src: tuple[str, int, list[str], int] | None = None  # a pending gathering's sentence, trigger, places


# a gathering named after its members ("the ASEAN Defence Ministers' Meeting"): the name, not a side
_GATHERING_NAME = icase(r"\s*(?:[\w-]+\s+){0,3}?(?:ministers|chiefs|leaders|heads)['’]?\s+"
                        r"(?:meeting|summit|conference|forum|council|session)")
_SIDE_BEFORE = re.compile(r"(?:^|\b(?:between|with|and|&|amid talks with)\s+(?:the\s+)?|,\s*(?:the\s+)?)$", re.I)
# the inline patterns of _sentence_initial, _actor_place and _visit_host, compiled once
_PARENTHESIS = re.compile(r"\([^()]{0,40}\)")
_LEAD_IN_MARK = re.compile(r"(?:--|—|–| - |:)")
_LEAD_IN = re.compile(r"^.*?(?:--|—|–| - |:)\s*")
_ONLY_ARTICLE = icase(r"\W*(?:the\s+)?")
_WITH_BETWEEN_BEFORE = icase(r"\b(?:with|between)\s+(?:the\s+)?$")
_DASH_END = re.compile(r"[-–]\s*$")
_DASH_WORD = re.compile(r"[-–]\w")
_DASHED_PLACE_NOUN = icase(r"(?:[-–][\w]+)?\s+(?:state\s+)?(?:border|frontier|boundary|region|conflict|war|standoff|clashes|line|relations|ties)\b")
_POSSESSIVE_S = re.compile(r"\s*['’]s\b")
_POSSESSED_BODY = icase(r"\s*(?:\w+\s+){0,2}(?:parliament|bundestag|rada|sejm|congress|committee|senate|navy|delegation)")
_CONJUNCT_BEFORE = re.compile(r"(?:,|\band\b|&)\s*(?:the\s+)?$")
_PLACE_NOUN_AFTER = icase(r"\s*(?:,\s*(?:the\s+)?)?(?:capital|city|region|province|state|border|territory|airspace|skies|soil|coast|waters|sea)\b")
_VISIT_GAP = icase(r"\s*(?:[\w-]+\s+){0,3}?(?:to|in|at)?\s*(?:the\s+)?")
# the first country of a list the sides are announced by ("counterparts from all nine other nations – Denmark, ...",
# "the member states: Poland, ..."); the list's other conjuncts follow the first
_LIST_HEAD = icase(r"\b(?:nations|countries|states|members|allies|partners|participants)"
                   r"\s*(?:[–—:]|\s-|,?\s+including)\s*(?:the\s+)?$|"
                   r"\b(?:counterparts|colleagues|leaders|ministers|chiefs|officials|delegations|representatives)"
                   r"\s+from\s+(?:the\s+)?$")
_DATELINE_AFTER = re.compile(r"\s*(?:[\[(][^\])]{0,30}[\])]\s*)?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*)?"
                             r"(?:[\[(][^\])]{0,30}[\])]\s*)?(?:[–—:]|--|-\s)")
_NOT_SIDE_BEFORE = re.compile(r"\b(?:tensions?|conflict|war|wars|aggression|threats?|hostilities|confrontation|dealing|deal|deals|cope|coping|struggle|fighting|fight|clashes|border|borders|relations|ties|cooperation|partnership|trade)\s+(?:with|against|between)\s+(?:the\s+)?$", re.I)


def _sentence_initial(text: str, sent_start: int, pos: int) -> bool:
    """Is ``pos`` the start of the sentence's subject (after a dateline, a source tag or a short lead-in)?"""
    head = text[sent_start:pos]
    if len(head) > 80:
        return False
    head = _PARENTHESIS.sub(" ", head)
    head = _LEAD_IN.sub("", head) if _LEAD_IN_MARK.search(head) else head
    return bool(_ONLY_ARTICLE.fullmatch(head))


def _is_actor_place(doc: Article, m: Mention, sent_start: int, etype: str, ms: list[Mention]) -> str | None:
    """For GPE/NORP/ORG mentions: 'side' (a state or body that acts) or None (a place, a modifier).
    Memoised per mention: a long coordinated list ("Poland, Romania, ... and Turkey") stays linear."""
    key = (m.start_char, m.end_char)
    if key in doc.actor_cache:
        return doc.actor_cache[key]
    res = _actor_place(doc, m, sent_start, etype, ms)
    doc.actor_cache[key] = res
    return res


def _actor_place(doc: Article, m: Mention, sent_start: int, etype: str, ms: list[Mention]) -> str | None:
    text = doc.text
    before = text[max(sent_start, m.start_char - 40):m.start_char]
    after = text[m.end_char:m.end_char + 60]
    if m.label == "NORP" or (m.country_code in ORGANISATION_CODES and m.label != "PERSON"):
        # "Russian drones" is not an actor, "the Ukrainian and American delegations" are; "the NATO summit" is not
        if _ACTOR_NOUN.match(after) and not _GATHERING_NAME.match(after):
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
    if _OF_ACTOR.search(before) or _LIST_HEAD.search(before):
        return "side"
    if _PLACE_NOUN_AFTER.match(after):
        return None
    if _SIDE_BEFORE.search(before) or _sentence_initial(text, sent_start, m.start_char):
        if m.label == "GPE" and m.start_char - sent_start <= 2 and _DATELINE_AFTER.match(after):
            return None  # the dateline's place ("Jakarta (VNA) – ...", "BEIJING, March 1 -- ...")
        return "side"
    if m.label == "ORG" and not _LOC_PREP.search(before):
        return "side"
    return None


def _visit_host(doc: Article, sent: Sentence, t1: int, ms: list[Mention]) -> Mention | None:
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


def sentence_sides(doc: Article, sent: Sentence, lo: int, hi: int) -> tuple[list[Side], list[Side], list[str]]:
    """(person sides, body/country sides, place names) stated in text[lo:hi] of the sentence."""
    ms_all = doc.in_span(sent.start, sent.end)
    ms = [m for m in ms_all if lo <= m.start_char < hi]
    persons: list[Side] = []
    bodies: list[Side] = []
    locs: list[str] = []
    person_spans = [(m.start_char, m.end_char) for m in ms_all if m.label == "PERSON"]
    for m in ms:
        if m.label == "PERSON":
            if m.country_code:
                persons.append(side_of(m))
            continue
        if not m.country_code:
            if m.label == "GPE":
                locs.append(m.text)
            continue
        if m.label == "ROLE":
            # a title attached to a named person adds nothing; a free one ("the Turkish minister") is a person-like side
            if any(a - 30 <= m.end_char <= a + 1 or (a <= m.start_char < b) or 0 <= m.start_char - b <= 3 for a, b in person_spans):
                continue
            sd = side_of(m, person_like=True)
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
        bodies.append(side_of(m, person_like=False))
    return persons, bodies, locs


def sentence_subject(doc: Article, sent: Sentence, persons: list[Side]) -> Side | None:
    if not persons:
        return None
    first = persons[0]
    if first.pos - sent.start <= 80:
        return first
    return None


def subject_reference(doc: Article, s: str, sent: Sentence, persons: list[Side], bodies: list[Side], st: Discourse) -> Side | None:
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
                return Side(p.name, p.cc, p.role, p.entity_id, p.key, sent.start, True)
            return Side(x.canonical_name or x.text, x.country_code, None, None, f"BODY:{x.country_code}", sent.start, False)
    ls = st.last_subject
    if ls is None:
        return None
    return Side(ls.name, ls.cc, ls.role, ls.entity_id, ls.key, sent.start, True)


# the inline patterns of resolve_sides, compiled once
_HOSTING_VERB_BEFORE = re.compile(r"(?:\b(?:a|the|welcomed|welcomes|received|receives|hosted|met)\s+(?:\w+\s+)?)$")
_TO_THE_COUNTRY = re.compile(r"\b(?:to|in|visit(?:ing|ed)?)\s+the country\b")
_SPEAKER_PRONOUN = icase(r"\b(?:I|we|he|she)\b")


def resolve_sides(doc: Article, s: str, sent: Sentence, etype: str, t1: int, persons: list[Side], bodies: list[Side],
                   subj_ref: Side | None, st: Discourse, local: bool = False) -> list[Side] | None:
    sides: list[Side] = []
    if subj_ref is not None:
        sides.append(subj_ref)
    sides.extend(persons)
    for b in bodies:
        if b.key.startswith("ROLE:"):
            p = st.last_person_by_cc.get(b.cc)
            if p is not None:
                sides.append(Side(p.name, p.cc, p.role, p.entity_id, p.key, b.pos, True))
            else:
                sides.append(Side(b.name or b.cc, b.cc, b.role, None, b.key, b.pos, False))
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
                host_side = host_people or ([side_of(host_m, person_like=False)] if host_m is not None
                                            else [Side(host_cc, host_cc, None, None, f"BODY:{host_cc}", t1, False)])
                sides = [visitors[0]] + [x for x in visitors[1:] if x.cc == visitors[0].cc and x.person] + host_side
            else:
                sides = cand
        else:
            sides = sides + others
    elif len(countries(sides)) < 2:
        sides = sides + others
    if (not local and len(countries(sides)) == 1 and st.last_subject is not None and etype in GATHERING_TYPES
            and st.last_subject.cc not in countries(sides) and not any(x.pos < t1 for x in sides if x.person)
            and not _GROUP_REF.search(s, doc.alike_lower(sent)) and not _SPEAKER_PRONOUN.search(s[:max(0, t1 - sent.start)])):
        ls = st.last_subject
        sides.insert(0, Side(ls.name, ls.cc, ls.role, ls.entity_id, ls.key, sent.start, True))
    if local:
        sides = dedupe_sides(sides)
        return sides if len(countries(sides)) >= 2 else None
    # back-references to the previous contact's sides
    cc = countries(sides)
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
                        cc = countries(sides)
                        if cp and len(cc) >= 2:
                            break
    sides = dedupe_sides(sides)
    if len(countries(sides)) < 2:
        return None
    return sides


def split_groups(doc: Article, s: str, sent: Sentence, etype: str, sides: list[Side],
                  triggers: list[tuple[str, int, int, str]]) -> list[list[Side]]:
    """A leader's contacts with several counterparts named in one sentence are separate bilaterals."""
    ccs = countries(sides)
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
    if not split and etype in (*REMOTE_TYPES, "generic"):
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


def find_initiator(s: str, sent: Sentence, sides: list[Side], doc: Article) -> str | None:
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


def venue(s: str, locs: list[str], a: int = 0) -> str | None:
    """Where the contact took place: "in/at <place>" stated after the trigger (not "the war in Ukraine")."""
    best = None
    for loc in locs:
        for m in re.finditer(r"\b(?:in|at)\s+(?:the\s+)?" + re.escape(loc) + r"\b", s):
            if m.start() < a - 60 or m.start() > a + 160 or _NOT_VENUE.search(s[max(0, m.start() - 30):m.start()]):
                continue
            if best is None or abs(m.start() - a) < best[0]:
                best = (abs(m.start() - a), loc)
    return best[1] if best else None


def _merge_key(c: Candidate) -> frozenset[str]:
    return countries(c.sides)


def compatible(a: Candidate, b: Candidate) -> bool:
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

