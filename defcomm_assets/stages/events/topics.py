"""Topics of a contact from the closed list in records.TOPICS, by keyword rules.

``topics_for(text)`` looks at the sentences that describe one contact (its reporting sentence and the
sentences that follow it about the same contact) and returns the matching topics in the order of
records.TOPICS. ``bilateral_cooperation`` is the fallback: general defence cooperation with nothing
more specific.
"""
from __future__ import annotations

import re
from functools import reduce
from operator import or_
from typing import Sequence

from defcomm_assets.core.vocabulary import TOPICS

_RULES: dict[str, str] = {
    "air_defense": r"air[- ]defen[cs]e|air policing|air shield|missile defen[cs]e|anti-?aircraft|patriot system|interceptor missile|\bBMD\b|countering (?:russian )?missile",
    "drones": r"\bdrones?\b|\bUAVs?\b|unmanned aerial|shaheds?\b|counter-?drone",
    "training": r"\btraining\b|\btrain(?:s|ed)?\s+(?:ukrainian|our|the|their)\b|military education|\beducation\b|exchange of (?:combat )?experience",
    "intelligence_sharing": r"intelligence[- ]sharing|shar(?:e|ing) (?:of )?intelligence|intelligence cooperation|classified intelligence|intelligence exchange|exchange of intelligence|necessary intelligence|cooperation in intelligence",
    "joint_exercises": r"(?:joint|military|multinational|international)\s+(?:military\s+)?(?:training\s+)?exercises?|\bexercises?\b|\bdrills?\b",
    "cybersecurity": r"\bcyber",
    "defense_industry": r"defen[cs]e industr|arms? (?:industr|sales?|exports?|production)|armed industr|joint (?:production|purchas|procurement|acquisition|development)|ammunition production|procurement|purchas(?:e|ing) (?:of )?(?:weapons|tanks|equipment|arms)|manufactur|defen[cs]e (?:materials|equipment|technology|projects)|industrial projects|buying tanks|defen[cs]e technology|\bDTTI\b",
    "military_aid": r"military (?:aid|assistance|support)|aid to ukraine|support (?:for|to) ukraine|(?:supply|supplies|deliveries|delivery) of (?:weapons|arms|equipment|\w+ (?:artillery|systems|tanks|missiles|ammunition|aircraft|jets))|aid package|weapons (?:supplies|deliveries)|needs of (?:the )?ukrain|urgent needs|military support|help ukraine|assistance to ukraine|defend themselves|support ukraine|supporting ukraine",
    "security_guarantees": r"security guarantee|security commitments|security assurances",
    "frontline_situation": r"front ?lines?|battlefield|situation at the front|operational situation|combat situation",
    "airspace_incident": r"airspace|violation of (?:the )?air|incursion|flew into",
    "border_security": r"border (?:security|situation|protection|clashes|incident)|\bborders?\b.{0,30}\b(?:security|clash|situation|threat)|line of actual control|\bLAC\b|state border|cross-border",
    "regional_security": r"regional (?:security|stability|situation|issues|developments|formats|and (?:international|defen[cs]e|security))|regional,|security (?:in|of|for) (?:the|our) region|(?:threats?|challenges) (?:for|to|in) (?:the|our) region|security (?:topics|issues|situation) (?:concerning|in|of) the region|security situation|region(?:al)? security|stability (?:and security )?(?:in|across|of) the|security and stability|stability and security|security environment|security risks|developments in ukraine|situation in (?:the )?(?:region|ukraine|gaza|middle east|neighbourhood|neighborhood)|gaza|balkans|eastern flank|east flank|confidence[- ]building|ongoing war|war in ukraine|escalat(?:e|ion|ing)|security challenges",
    "peace_process": r"peace (?:process|talks|plan|formula|deal|negotiations|treaty|agreement|accord|settlement|efforts|initiative)|ceasefire|cease-fire|settlement of the conflict|peace formula|end the war",
    "nato_cooperation": r"\bNATO\b|north atlantic|\balliance\b|\ballies\b|\ballied\b",
    "maritime_security": r"maritime|black sea|naval security|east china sea|south china sea|territorial waters|shipping|freedom of navigation",
    "counterterrorism": r"counter-?terror|terrorism|terror(?:ist)? (?:groups?|organi[sz]ations?|threats?|networks?|cells?)|extremis|jihad|\bISIS\b|islamic state|al-?qaeda",
    "bilateral_cooperation": r"(?:bilateral|defen[cs]e|military|strategic) (?:defen[cs]e )?(?:cooperation|partnership|relations|ties)|cooperation between (?:the )?(?:two|armed forces|both)|military-to-military|bilateral relations|strategic partnership",
}
# Matched against the lower-cased text (case-insensitive matching is several times slower in `re`): the
# patterns are lower-cased too, which is safe because none uses an upper-case escape (\B, \S, \W, \D).
assert not any(re.search(r"\\[A-Z]", v) for v in _RULES.values())
_COMPILED = {k: re.compile(v.lower()) for k, v in _RULES.items()}
# Cheap substring gates (lower case): a topic's regex runs only when one of these occurs in the text.
_ANCHORS: dict[str, tuple[str, ...]] = {
    # not "air" alone ("chair", "affairs"): every alternative of the rule contains one of these
    "air_defense": ("air defen", "air-defen", "air policing", "air shield", "aircraft", "missile", "patriot", "bmd"),
    "drones": ("drone", "uav", "unmanned", "shahed"),
    "training": ("train", "education", "experience"),
    "intelligence_sharing": ("intelligence",),
    "joint_exercises": ("exercise", "drill"),
    "cybersecurity": ("cyber",),
    "defense_industry": ("industr", "arms", "sale", "export", "production", "purchas", "procurement", "acquisition",
                         "joint development", "manufactur", "materials", "equipment", "technology", "projects", "tanks",
                         "dtti"),
    # not "aid" alone ("said"): "aid to ukraine" has "ukrain", "military aid" has "military"
    "military_aid": ("military", "aid package", "ukrain", "support", "deliver", "suppl", "needs", "help", "assistance", "defend"),
    "security_guarantees": ("security guarantee", "security commitments", "security assurances"),
    "frontline_situation": ("front", "battlefield", "operational situation", "combat situation"),
    "airspace_incident": ("airspace", "violation of", "incursion", "flew into"),
    "border_security": ("border", "line of actual control", "lac"),
    "regional_security": ("region", "security", "stability", "ukraine", "gaza", "balkans", "flank", "confidence",
                          "war", "escalat", "middle east", "neighbo"),
    "peace_process": ("peace", "ceasefire", "cease-fire", "settlement", "end the war"),
    "nato_cooperation": ("nato", "north atlantic", "allian", "allie"),
    "maritime_security": ("maritime", "black sea", "naval", "china sea", "territorial waters", "shipping", "navigation"),
    "counterterrorism": ("terror", "extremis", "jihad", "isis", "islamic state", "qaeda"),
    "bilateral_cooperation": ("cooperation", "partnership", "relations", "ties", "military-to-military"),
}
assert set(_ANCHORS) == set(_COMPILED)
_EXPLICIT_BILATERAL = re.compile(r"bilateral (?:defen[cs]e |military )?cooperation|strategic partnership|cooperation between the armed forces")
assert set(_COMPILED) <= set(TOPICS)
# Words that, near a keyword, mean the topic is not what the contact was about.
_NOT_TOPIC = {
    "nato_cooperation": re.compile(r"\bnato secretary|secretary[- ]general of nato"),
}


class AnchorGate:
    """Which groups of anchors (lower-case substrings) occur in a lower-cased text, as a bit mask (bit k: group k).

    The same answer as ``any(a in low for a in groups[k])`` for every k, for a fraction of the cost: an anchor
    without whitespace can only occur inside one whitespace-separated token, so each distinct token is tested
    once and its groups remembered. An anchor with a space ("black sea") is looked for in the whole text only when
    its first word ends a token (the space follows it).
    """

    _MEMO_MAX = 1 << 16  # tokens remembered (a few MB at most); the memo starts over when full

    def __init__(self, groups: Sequence[Sequence[str]]):
        def needed(group: Sequence[str]) -> tuple[str, ...]:
            # an anchor containing another anchor of its group never decides anything ("level talks" / "talks")
            return tuple(a for a in group if not any(b != a and b in a for b in group))
        kept = [needed(g) for g in groups]
        spaced = [(k, a) for k, g in enumerate(kept) for a in g if _has_space(a)]
        first_words = sorted({_first_word(a) for _, a in spaced})
        # bit i of a token's mask above the groups' bits: the token ends with first_words[i]
        self._spaced_by_first_word = tuple(tuple((k, a) for k, a in spaced if _first_word(a) == w) for w in first_words)
        self._n_groups = len(kept)
        self._token_bits = _TokenBits(tuple(tuple(a for a in g if not _has_space(a)) for g in kept),
                                      tuple(first_words), self._MEMO_MAX)

    def mask(self, low: str) -> int:
        mask = reduce(or_, map(self._token_bits.__getitem__, low.split()), 0)
        first_words = mask >> self._n_groups
        if first_words:
            mask &= (1 << self._n_groups) - 1
            while first_words:
                i = (first_words & -first_words).bit_length() - 1
                first_words &= first_words - 1
                for k, anchor in self._spaced_by_first_word[i]:
                    if not mask >> k & 1 and anchor in low:
                        mask |= 1 << k
        return mask


class _TokenBits(dict):
    """token -> bit mask of the groups with an anchor inside the token, and above those, of the first words of
    spaced anchors that the token ends with; computed on first use."""

    def __init__(self, token_anchors: tuple[tuple[str, ...], ...], first_words: tuple[str, ...], max_size: int):
        super().__init__()
        self.token_anchors = token_anchors
        self.first_words = first_words
        self.max_size = max_size

    def __missing__(self, token: str) -> int:
        bits = 0
        for k, anchors in enumerate(self.token_anchors):
            for a in anchors:
                if a in token:
                    bits |= 1 << k
                    break
        for i, word in enumerate(self.first_words, len(self.token_anchors)):
            if token.endswith(word):
                bits |= 1 << i
        if len(self) >= self.max_size:
            self.clear()
        self[token] = bits
        return bits


def _has_space(s: str) -> bool:
    return any(c.isspace() for c in s)


def _first_word(s: str) -> str:
    """What precedes the first whitespace character."""
    return next((s[:i] for i, c in enumerate(s) if c.isspace()), s)


# The topics that have a rule, in records.TOPICS order, and their gates: bit k of a TOPIC_ANCHORS mask is _GATED[k].
_GATED = tuple(name for name in TOPICS if name in _COMPILED)
TOPIC_ANCHORS = tuple(_ANCHORS[name] for name in _GATED)
_TOPIC_GATE = AnchorGate(TOPIC_ANCHORS)


def topic_hits(text: str) -> frozenset[str]:
    """Raw keyword hits of one piece of text (a sentence); combine several with ``combine_topics``.
    ``"+bilateral"`` marks general cooperation stated explicitly as bilateral/strategic."""
    low = text.lower()
    # substring gates are far cheaper than running every topic's regex
    return topic_hits_gated(low, _TOPIC_GATE.mask(low))


def topic_hits_gated(low: str, mask: int) -> frozenset[str]:
    """``topic_hits(text)`` for ``low = text.lower()`` whose gates are known: bit k of ``mask`` is set when an anchor
    of TOPIC_ANCHORS[k] occurs in ``low`` (``AnchorGate(TOPIC_ANCHORS).mask(low)``, or a wider gate's mask shifted
    so that these groups come first)."""
    found = set()
    for name in _GATED:
        if mask & 1:
            rx = _COMPILED[name]
            neg = _NOT_TOPIC.get(name)
            if neg is None:
                hit = rx.search(low) is not None
            else:
                hits = [m for m in rx.finditer(low)]
                # all hits inside a negative context -> not the topic
                spans = [m.span() for m in neg.finditer(low)] if hits else []
                hit = bool(hits) and not (spans and all(any(a <= h.start() < b for a, b in spans) for h in hits))
            if hit:
                found.add(name)
                if name == "bilateral_cooperation" and _EXPLICIT_BILATERAL.search(low):
                    found.add("+bilateral")
        mask >>= 1
        if not mask:
            break
    return frozenset(found)


def combine_topics(hit_sets) -> tuple[str, ...]:
    """Topics of a contact from the hits of its sentences, in the order of records.TOPICS.
    General defence cooperation is the fallback, or kept when stated as such next to specific topics."""
    allhits: set[str] = set().union(*hit_sets) if hit_sets else set()
    specific = [t for t in TOPICS if t in allhits and t != "bilateral_cooperation"]
    if "bilateral_cooperation" in allhits and not specific:
        specific.append("bilateral_cooperation")
    return tuple(specific)


def topics_for(text: str) -> tuple[str, ...]:
    return combine_topics([topic_hits(text)])
