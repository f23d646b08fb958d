"""Events: who contacted whom, how, when and about what - each real contact once per article.

``extract_events(text, mentions, published_date, title=None) -> list[EventRecord]``

How a row comes about (every row names its ``rule``: trigger rule, trigger words, and how a generic word was
typed, e.g. ``talk:held talks->meeting``):

1. The clean text is split into paragraphs (lines) and sentences by the rule splitter of core/sentences.py,
   which knows titles and initials ("Gen.", "U.S.", "Lloyd J. Austin"). Lines without closing punctuation
   (headlines, related-link lists, timestamps) and "Read also" lines report nothing; the headline's contact is
   reported by the body.
2. Trigger phrases (triggers.py: one record per rule with its type, rule name, pattern and gate anchors) give
   candidate types: ``call`` (phone/telephone/teleconference), ``video_call`` (video conference/link,
   virtually), ``meeting`` (met, received, welcomed, hosted, on the sidelines), ``visit`` (visit, arrived in,
   travel to, welcome X to Y), ``negotiation`` (formal negotiations, rounds, talks on a treaty), ``agreement``
   (signed/adopted/inked + agreement/memorandum/communique/deal), ``invitation`` (invited, at the invitation
   of). Hoaxes, refused or proposed talks ("not ready for talks", "called for talks") are no contact.
   *Generic* words: "conversation", "held talks", "spoke with" join an explicit contact of the same sides in
   the article, else become a ``meeting`` when travel or a venue is stated, else a ``call`` (unstated medium,
   no travel); anaphoric "the meeting", "the talks", "discussed" only join a contact or take the medium the
   article stated last (the "video meeting" of the lead) - they never invent one.
3. Sides (sides.py) come from the entities stage's mentions: persons with a country first, then
   bodies/countries that act (subject, "with/between X", "ministry of X", "the Ukrainian and American
   delegations") - not places ("talks in Riyadh"), modifiers ("Russian drones", "the NATO summit") or passive
   agents. Back-references - "he", "the (Turkish) minister", "his/my counterpart", "the two ministers", "the
   sides", "today's visit" - take the article's last subject or previous contact. A visit is visitor + host
   (the place right after the trigger). A caller speaking with several counterparts makes separate bilaterals
   unless the text names one joint call. At least two distinct countries, or no international contact
   (domestic meetings drop out).
4. Status (status.py): ``planned`` when a future marker governs the trigger inside its clause ("will", "is due
   to", "agreed that ... will", "should be held", a visit "discussed"), else ``occurred``.
5. Reports of the same sides (same countries, compatible persons), type and status in one article merge into
   one event (headline, lead and quote of one call are one row); date, venue, initiator and topics gather
   from all of its reports; a delegation's named head ("led by X") replaces the country standing for it.
6. Topics (topics.py) come from a contact's reports and the sentences after them that still describe it. A
   contact with no topic and no word of defence or security is dropped when only states and bodies act (trade
   talks) or a civil organisation (vocabulary.CIVIL_ORGANISATIONS: the World Bank is coded UN) is a side.

Pure module: no Dagster, no spaCy model; regexes compiled at import; linear in the document.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from defcomm_assets.core.records import EventRecord, Mention, Participant
from defcomm_assets.core.sentences import Sentence, split_sentences
from defcomm_assets.core.vocabulary import CIVIL_ORGANISATIONS
from defcomm_assets.stages.events.event_dates import event_date
from defcomm_assets.stages.events.gate import GateSet
from defcomm_assets.stages.events.patterns import Folded, icase, lower_matches_alike
from defcomm_assets.stages.events.sides import (
    Article,
    Candidate,
    Discourse,
    compatible,
    countries,
    dedupe_sides,
    find_initiator,
    resolve_sides,
    sentence_sides,
    sentence_subject,
    side_of,
    split_groups,
    subject_reference,
    venue,
)
from defcomm_assets.stages.events.status import contact_status, has_past_verb
from defcomm_assets.stages.events.topics import TOPIC_GATE, combine_topics, topic_hits_lower
from defcomm_assets.stages.events.triggers import (
    GATHERING_TYPES,
    NOT_CONTACT,
    SCREEN_GATE,
    TRIGGER_GATE,
    find_triggers,
    first_of_each_type,
    framing_invitation,
    joins_gathering,
)

_IN_PERSON = icase(r"\bvisit|\barriv|\btravel|\bsidelines\b|\bheadquarters\b|\bhosted\b|\breceived\b|\bwelcom|\bdelegation|\bsummit\b|"
                   r"\bin-person\b|\bface-to-face\b|\bministerial\b|\bmeeting point\b|\bat the\b")
_EARLIER = Folded(r"^\W*(?:earlier|previously|before that)\b|\b(?:as (?:previously|earlier) reported|previously|recently|recent|last (?:week|month|year)|ago|in the past|had earlier|earlier this (?:week|month|year))\b")
# A sentence that refers back to a contact: a back-reference as its subject, "the two sides", or a word of talks.
# The three alternatives apart: the last two are looked for only when one of their words occurs (_topic_ref).
_TOPIC_REF_SUBJECT = (r"^\W*(?:(?:[\w'’-]+\s+){0,3}?[\w'’-]+,\s+)?(?:he|she|they|both|the two|the sides|the parties|the ministers|the officials|the leaders|"
                      r"the (?:meeting|talks|conversation|call|discussions?|visit|negotiations|agreement|memorandum|document|delegations)|"
                      r"discussions|talks|during the|at the meeting|in the course of)\b")
_TOPIC_REF_PAIR = r"\b(?:the two|both) (?:sides|ministers|officials|leaders|countries|generals|chiefs|delegations)\b"
_TOPIC_REF_PAIR_WORDS = ("the two ", "both ")
_TOPIC_REF_WORD = r"\b(?:discussed|focused on|topics|agenda|exchanged views|briefed|informed (?:him|her|them|his|the))\b"
_TOPIC_REF_WORDS = ("discussed", "focused on", "topics", "agenda", "exchanged views", "briefed", "informed ")
_TOPIC_REF = Folded("|".join((_TOPIC_REF_SUBJECT, _TOPIC_REF_PAIR, _TOPIC_REF_WORD)))
_TOPIC_REF_PARTS = (Folded(_TOPIC_REF_SUBJECT), Folded(_TOPIC_REF_PAIR), Folded(_TOPIC_REF_WORD))


def _topic_ref(s: str, low: str | None) -> bool:
    """``_TOPIC_REF.search(s, low) is not None``, cheaper: on the lower-cased sentence (``low``, see Folded) an
    alternative runs only when one of its words occurs."""
    if low is None:
        return _TOPIC_REF.search(s, None) is not None
    subject, pair, word = _TOPIC_REF_PARTS
    return (subject.match(s, low) is not None
            or (any(map(low.__contains__, _TOPIC_REF_PAIR_WORDS)) and pair.search(s, low) is not None)
            or (any(map(low.__contains__, _TOPIC_REF_WORDS)) and word.search(s, low) is not None))

_SECURITY = icase(r"defen[cs]|militar|security|army|armed|\bwar\b|troops|weapon|\barms\b|\bNATO\b|minist|general|command|"
                  r"ceasefire|peace|border|navy|naval|air force|strategic|intelligence|delegation|officials")
_LED_BY = icase(r"\b(?:delegation|side|team|negotiators?)\b[^.;]{0,40}?\b(?:led|headed|represented)\s+by\b|"
                r"\bled\s+the\s+(?:\w+\s+){0,2}(?:side|delegation|team|negotiators)\b")
_GROUP_TYPES = GATHERING_TYPES
# a reportable sentence's trigger, screen and topic gates, from one pass over its tokens
_GATES = GateSet(TRIGGER_GATE, SCREEN_GATE, TOPIC_GATE)


def extract_events(text: str, mentions: Sequence[Mention], published_date: date | None,
                   title: str | None = None) -> list[EventRecord]:
    if not text:
        return []
    if len({m.country_code for m in mentions if m.country_code}) < 2:
        return []  # no two countries or organisations in the article: no international contact to report
    doc = Article(text, mentions)
    sents = split_sentences(text)
    cands: list[Candidate] = []
    st = Discourse()
    para_first: dict[int, int] = {}

    for si, sent in enumerate(sents):
        para_first.setdefault(sent.para, si)
        s = text[sent.start:sent.end]
        if sent.reportable:
            low = s.lower()
            doc.lower_cache[sent.start] = low if lower_matches_alike(s, low) else None  # for alike_lower
            opened_triggers, screens, doc.opened_topics[si] = _GATES.open(low)
            triggers = find_triggers(s, low, opened_triggers)
        else:
            triggers = []
        # the gate's words decide only where the lower-cased patterns would (see lower_matches_alike)
        if triggers and (NOT_CONTACT in screens or doc.alike_lower(sent) is None) and NOT_CONTACT.rx.search(s):
            triggers = []
        if (st.group is not None and sent.reportable and si - st.group_si <= 3
                and joins_gathering(s, doc.alike_lower(sent), screens)):
            joiners = [side_of(m) for m in doc.in_span(sent.start, sent.end) if m.label == "PERSON" and m.country_code]
            if joiners:
                g = st.group
                g.sides = dedupe_sides([*g.sides, *joiners])
                st.group_si = si
                if st.group_pending and len(countries(g.sides)) >= 2:
                    # dated and placed only now: most gatherings of one country never get a second
                    gs, a, locs_g, gsi = st.group_src
                    g.status = contact_status(gs, a, g.t1 - g.sent.start, g.etype, doc.alike_lower(g.sent))
                    g.location = venue(gs, locs_g, a)
                    pf = para_first.get(g.sent.para, gsi)
                    ctx = text[sents[pf].start:sents[gsi - 1].end] if pf < gsi else None
                    g.event_date, g.date_source = event_date(gs, a, published_date, g.status == "planned", ctx)
                    cands.append(g)
                    st.group_pending = False
                    st.last_event = g
                triggers = []  # the sentence reports who took part, not a contact of its own
        if triggers:
            persons, bodies, locs = sentence_sides(doc, sent, sent.start, sent.end)
        else:
            persons = [side_of(m) for m in doc.in_span(sent.start, sent.end) if m.label == "PERSON" and m.country_code]
            bodies, locs = [], []
        subj_ref = subject_reference(doc, s, sent, persons, bodies, st) if triggers else None
        made_here: list[Candidate] = []
        trig = first_of_each_type(triggers)
        claimed: dict[int, set[str]] = {}
        if len(trig) > 1:
            for k, (etype, a, b, _rule) in enumerate(trig):
                lo = sent.start if k == 0 else sent.start + (trig[k - 1][2] + a) // 2
                hi = sent.end if k == len(trig) - 1 else sent.start + (b + trig[k + 1][1]) // 2
                p2, b2, _ = sentence_sides(doc, sent, lo, hi)
                loc = resolve_sides(doc, s, sent, etype, sent.start + b, p2, b2, None, st, local=True)
                if loc:
                    claimed[k] = {x.key for x in loc if not x.person}
        for k, (etype, a, b, rule) in enumerate(trig):
            t0, t1 = sent.start + a, sent.start + b
            sides = None
            if len(trig) > 1:
                # several contacts in one sentence: each takes the sides of its own stretch first
                lo = sent.start if k == 0 else sent.start + (trig[k - 1][2] + a) // 2
                hi = sent.end if k == len(trig) - 1 else sent.start + (b + trig[k + 1][1]) // 2
                p2, b2, _ = sentence_sides(doc, sent, lo, hi)
                sides = resolve_sides(doc, s, sent, etype, t1, p2, b2, None, st, local=True)
                if k > 0 and sides and all(x.pos >= t0 for x in sides):
                    # "A travelled to Oslo to meet counterparts from B, C and D": the sentence's subject, named
                    # before its first trigger, is the agent of a later contact whose stretch names only the others
                    subj = sentence_subject(doc, sent, persons)
                    if subj is not None and subj.pos < sent.start + trig[0][1] and subj.cc not in countries(sides):
                        sides = [subj, *sides]
            if sides is None:
                taken = set().union(*(v for j, v in claimed.items() if j != k)) if claimed else set()
                bodies_k = [x for x in bodies if x.key not in taken]
                sides = resolve_sides(doc, s, sent, etype, t1, persons, bodies_k, subj_ref, st)
            if sides is None:
                continue
            groups = split_groups(doc, s, sent, etype, sides, triggers)
            status = contact_status(s, a, b, etype, doc.alike_lower(sent))
            for g in groups:
                if len(countries(g)) < 2:
                    continue
                c = Candidate(etype=etype, rule=f"{rule}:{s[a:b].lower()}", status=status, sides=g, sent=sent, t0=t0, t1=t1)
                c.initiator_cc = find_initiator(s, sent, g, doc)
                c.location = venue(s, locs, a)
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
        if len(made_here) > 1 and any(c.etype == "invitation" for c in made_here):
            # "Y is in Beijing for an official visit ... at the invitation of X": the invitation is the framing of
            # the visit (or meeting) that took place, not a contact of its own; a planned one keeps it ("Y will
            # visit Russia at the invitation of X": the invitation was extended)
            made_here = [c for c in made_here if not (
                c.etype == "invitation" and framing_invitation(text, c.t0, c.t1)
                and any(v.etype in ("visit", "meeting") and v.status == "occurred"
                        and countries(c.sides) <= countries(v.sides) for v in made_here))]
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
                c = Candidate(etype=etype, rule=f"{rule}:{s[a:b].lower()}", status="occurred",
                          sides=dedupe_sides([*persons, *bodies]), sent=sent, t0=sent.start + a, t1=sent.start + b)
                c.reports.append(sent)
                c.medium, c.medium_at = st.medium, st.medium_at
                st.group, st.group_si, st.group_pending = c, si, True
                st.group_src = (s, a, locs, si)
        for etype, a, _b, _rule in trig:
            if etype in ("call", "video_call", "meeting"):
                st.medium = etype
                st.medium_at = (s, a)
        # update the discourse state after the sentence
        for p in persons:
            st.last_person_by_cc[p.cc] = p
        subj = sentence_subject(doc, sent, persons)
        if subj_ref is not None and subj_ref.person:
            st.last_subject = subj_ref
        elif subj is not None:
            st.last_subject = subj
    return _finalise(doc, sents, cands, published_date, title)


def _absorb(tgt: Candidate, c: Candidate) -> None:
    tgt.reports.extend(r for r in c.reports if r not in tgt.reports)
    if tgt.event_date is None and c.event_date is not None and c.status == tgt.status:
        tgt.event_date, tgt.date_source = c.event_date, c.date_source
    if tgt.location is None:
        tgt.location = c.location
    if tgt.initiator_cc is None:
        tgt.initiator_cc = c.initiator_cc
    tgt.sides = dedupe_sides([*tgt.sides, *c.sides])


_INVITATION_OF = icase(r"\binvitation (?:of|from)\b")
# "held talks with X at Ulinzi House" / "in Nairobi": a place after the talks makes them a meeting (case-sensitive)
_AT_PLACE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?(?!(?:January|February|March|April|May|June|July|August|September|"
                       r"October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z][\w'’-]+")


def _finalise(doc: Article, sents: list[Sentence], cands: list[Candidate], published: date | None,
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
                         and compatible(e, c)), None)
            if host is None and phase == "ref:":
                # "discussions with Poland are set to begin" after "announced negotiations with Poland": a reference
                host = next((e for e in explicit if e.etype in ("call", "video_call", "meeting", "negotiation")
                             and compatible(e, c)), None)
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
    merged: list[Candidate] = []

    def tenseless(c: Candidate) -> bool:
        """"Hatami's visit to Moscow is aimed at ...": a noun trigger in a sentence with no past verb - its
        status is the one the article gave that contact before"""
        return (c.status == "occurred" and text[c.t0:c.t1].lower() in ("visit", "meeting")
                and not has_past_verb(text, c.sent.start, c.sent.end))

    for c in resolved:
        tgt = None
        for m in merged:
            if m.etype != c.etype or not compatible(m, c):
                continue
            if m.status != c.status and not (m.status == "planned" and tenseless(c)):
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
                tgt.sides = dedupe_sides([*tgt.sides, side_of(h)])
    # 3. an undated contact of the same sides as a dated one in the article happened on its occasion
    #    (the invitation extended during the call, the talks during the visit)
    earlier_cache: dict[int, bool] = {}

    def earlier(c: Candidate) -> bool:
        v = earlier_cache.get(id(c))
        if v is None:
            v = earlier_cache[id(c)] = any(_EARLIER.search(text[r.start:r.end], doc.alike_lower(r)) for r in c.reports)
        return v

    for c in merged:
        if c.event_date is None and not earlier(c):
            src = next((m for m in merged if m is not c and m.event_date is not None and m.status == c.status
                        and compatible(m, c) and not earlier(m)), None)
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
            h = hit_cache[j] = topic_hits_lower(text[sents[j].start:sents[j].end].lower(), doc.opened_topics.get(j))
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
                others = person_ccs - countries(c.sides)
                if (j <= i + 1 and not others) or (person_keys & keys) or topic_ref(j) \
                        or (ci in owners.get(j, ())) or (x.para == last_para and not others):
                    chunks.append(j)
                    last_para = x.para
        topic_sets.append(combine_topics([hits(j) for j in chunks]) if c.etype != "invitation" else ())
    # a visit reported without its own subject matter shares that of the talks held during it
    for ci, c in enumerate(merged):
        if c.etype == "visit" and not topic_sets[ci]:
            mate = next((k for k, m in enumerate(merged) if m.etype in ("meeting", "negotiation")
                         and m.status == c.status and compatible(m, c) and topic_sets[k]), None)
            if mate is not None:
                topic_sets[ci] = topic_sets[mate]
    for ci, c in enumerate(merged):
        topics = topic_sets[ci]
        ev = c.reports[0]
        if not topics and not any(_SECURITY.search(text[r.start:r.end]) for r in c.reports) and (
                not any(x.person for x in c.sides) or any(x.cc in CIVIL_ORGANISATIONS for x in c.sides)):
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

