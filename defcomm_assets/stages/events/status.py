"""Status of a contact: ``planned`` when a future marker governs the trigger inside its clause, else ``occurred``.

``contact_status(sentence, t0, t1, etype, low)`` for the trigger at ``sentence[t0:t1]``:

* an invitation is planned when it is to come ("will invite", "plans to invite");
* the clause is what follows the last boundary before the trigger ("; ", " – ", ": ", ", ", a closing quote), within
  90 characters; a purpose infinitive ("will pay a visit to Washington, D.C., to meet ...") belongs to the verb
  that governs it;
* planned: a future in the trigger of an agreement or negotiation ("to be signed"); a prepositional noun whose main
  clause is future ("During their meeting, the ministers will discuss"; "is scheduled to meet X ... during a visit
  to Moscow"); a visit or meeting talked about ("discussed ... an official visit"); a future passive of a
  participle trigger ("will first be received by"); a future marker before the trigger in its clause ("will",
  "is due to", "agreed that ... will") or right after it ("should be held", "is to take place") - unless a past
  verb stands between the marker and the trigger;
* occurred: a past verb as the trigger itself ("met", "signed", "visited"), and everything else.

Pure module: regexes compiled at import.
"""
from __future__ import annotations

import re

from defcomm_assets.stages.events.patterns import Folded, icase

_FUTURE = Folded(r"\b(?:is|are) due to\b|\b(?:is|are) expected to\b|\bwill\b|\bshall\b|['’]ll\b|\b(?:is|are|was|were) set to\b|\bscheduled\b|\bplan(?:s|ned|ning)?\s+to\b|\b(?:is|are)\s+to\s+(?:meet|hold|visit|sign|begin|start|take)\b|"
                 r"\bto be (?:held|signed)\b|\bexpected to\b|\bshould be (?:held|signed)\b|\bupcoming\b|\bnext (?:week|month|year)\b|\btomorrow\b|\bpreparing\b|"
                 r"\bgoing to\b|\bintends? to\b|\bwould (?:meet|hold|visit|sign|travel)\b|\bforthcoming\b|\bin the near future\b|\bsoon\b|\bhope to\b|\bset to begin\b|\bplan\b|"
                  # "concurred that Minister X would visit": the trigger right after "would"
                  r"\bwould\s+(?:\w+ly\s+)?$")
_PAST_NEAR = icase(r"\b(?:met|held|signed|visited|spoke|arrived|received|welcomed|completed|launched|began|had|hosted|discussed|talked|took place|was held|were held|adopted|concluded|attended|paid)\b")
# the inline patterns of contact_status, compiled once
_WILL_INVITE = icase(r"\b(?:will|to|plans? to|intends? to)\s+(?:\w+\s+)?invite\b")
_ENDS_WITH_TO = re.compile(r"\bto\s+$")
_FUTURE_IN_TRIGGER = icase(r"\b(?:will|to be|is to)\b")
_PREP_NOUN_BEFORE = icase(r"\b(?:during|at|in|after|before|on|of)\s+(?:the|their|his|her|a|this|that)\s+(?:[\w-]+\s+)?$")
_MAIN_CLAUSE_FUTURE = icase(r"^[^.;]{0,120}?\b(?:will|shall|is set to|are set to|is scheduled|are scheduled|are to|is to)\b")
_VISIT_OR_MEETING = icase(r"(?:visit|meeting)\b")
_TALKED_ABOUT_BEFORE = icase(r"\b(?:discuss(?:ed|es|ing)?|agreed (?:on|to hold)|prepar\w+|arrang\w+|plans? for|organi[sz]\w+)\b[^.;]{0,80}"
                             r"\b(?:an?|another|new|next|future|possible)\s+(?:[\w-]+\s+){0,2}$")
_PAST_TRIGGER = icase(r"(?:met|held|signed|visited|spoke|arrived|received|welcomed|hosted|attended)\b")
_CLAUSE_BREAK = re.compile(r", | [–—-] |; ")
_FUTURE_PASSIVE_BEFORE = icase(r"\b(?:will|shall|is to|are to|is due to|are due to|is set to|are set to|is expected to|"
                               r"are expected to)\s+(?:\w+\s+)?be\s+$")
# "would" only before the contact's own verbs ("would take place", "would meet"), not "would strengthen ties"
_FUTURE_AFTER = icase(r"^[^,;.–]{0,90}?\b(?:will|shall|is set to|are set to|is scheduled|are scheduled|to be held|"
                      r"would\s+(?:\w+ly\s+)?(?:be|take|begin|start|come|travel|arrive|meet|visit|go|last|include|focus)|"
                      r"is to take place|are to take place|should (?:be held|take place|meet)|"
                      r"(?:is|are) expected to (?:be held|take place|begin|start))\b")


def contact_status(sent: str, t0: int, t1: int, etype: str, low: str | None = None) -> str:
    """``low``: the sentence lower-cased if lower_matches_alike, else None."""
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
        # a prepositional noun ("During their meeting, the ministers will discuss"): the main clause decides,
        # after it or before it ("X is scheduled to meet Y and attend an exhibition during a visit to Moscow")
        if _MAIN_CLAUSE_FUTURE.search(post):
            return "planned"
        head = _MAIN_CLAUSE_FUTURE.search(sent[:t0])
        if (head is not None and not _PAST_NEAR.search(sent, head.end(), t0)
                and not _CLAUSE_BREAK.search(sent, head.end(), t0)):
            return "planned"
    if etype in ("visit", "meeting") and _VISIT_OR_MEETING.match(trig) and _TALKED_ABOUT_BEFORE.search(pre):
        # "discussed ... an official visit to Romania": a visit talked about is a planned one
        return "planned"
    if _FUTURE_PASSIVE_BEFORE.search(pre):
        # "He will first be received by the President": a future passive of a past-participle trigger
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


def has_past_verb(text: str, start: int, end: int) -> bool:
    """Does text[start:end] hold a past verb of contact ("met", "held", "visited", ...)?"""
    return _PAST_NEAR.search(text, start, end) is not None
