"""Topics of a contact from the closed list (core.vocabulary.TOPICS), by keyword rules.

``topics_for(text)`` looks at the sentences that describe one contact (its reporting sentence and the
sentences that follow it about the same contact) and returns the matching topics in the order of
vocabulary.TOPICS. ``bilateral_cooperation`` is the fallback: general defence cooperation with nothing
more specific.

Each topic is one ``TopicRule`` record below: the topic, its pattern, the anchors that gate it and the words
that, around every hit, mean the topic is not what the contact was about. The patterns are matched against the
lower-cased text (case-insensitive matching is several times slower in `re`); they are lower-cased too, which is
safe because none uses an upper-case escape (\\B, \\S, \\W, \\D). A topic's regex runs only when one of its
anchors occurs in the text: every text the pattern matches must contain one (checked by the tests for every
alternative of every pattern).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from defcomm_assets.core.vocabulary import TOPICS
from defcomm_assets.stages.events.gate import RecordGate


@dataclass(frozen=True)
class TopicRule:
    topic: str  # a name of vocabulary.TOPICS
    pattern: str  # matched against the lower-cased text (lower-cased itself)
    anchors: tuple[str, ...]  # lower case: every text the pattern matches contains one of them
    not_within: str | None = None  # lower case: a hit inside a match of this is not the topic
    rx: re.Pattern = field(init=False, repr=False, compare=False)
    not_rx: re.Pattern | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        assert self.topic in TOPICS, self.topic
        assert not re.search(r"\\[A-Z]", self.pattern), self.topic  # see the module docstring
        object.__setattr__(self, "rx", re.compile(self.pattern.lower()))
        object.__setattr__(self, "not_rx", None if self.not_within is None else re.compile(self.not_within))


TOPIC_RULES: tuple[TopicRule, ...] = (
    # not "air" alone ("chair", "affairs"): every alternative of the rule contains one of these
    TopicRule("air_defense",
              r"air[- ]defen[cs]e|air policing|air shield|missile defen[cs]e|anti-?aircraft|patriot system|interceptor missile|\bBMD\b|countering (?:russian )?missile",
              ("air defen", "air-defen", "air policing", "air shield", "aircraft", "missile", "patriot", "bmd")),
    TopicRule("drones",
              r"\bdrones?\b|\bUAVs?\b|unmanned aerial|shaheds?\b|counter-?drone",
              ("drone", "uav", "unmanned", "shahed")),
    TopicRule("training",
              r"\btraining\b|\btrain(?:s|ed)?\s+(?:ukrainian|our|the|their)\b|military education|\beducation\b|exchange of (?:combat )?experience|"
              r"military[- ]educational",
              ("train", "education", "experience")),
    TopicRule("intelligence_sharing",
              r"intelligence[- ]sharing|shar(?:e|ing) (?:of )?intelligence|intelligence cooperation|classified intelligence|intelligence exchange|exchange of intelligence|necessary intelligence|cooperation in intelligence",
              ("intelligence",)),
    TopicRule("joint_exercises",
              r"(?:joint|military|multinational|international)\s+(?:military\s+)?(?:training\s+)?exercises?|\bexercises?\b|\bdrills?\b",
              ("exercise", "drill")),
    TopicRule("cybersecurity",
              r"\bcyber",
              ("cyber",)),
    TopicRule("defense_industry",
              r"defen[cs]e industr|arms? (?:industr|sales?|exports?|production)|armed industr|joint (?:production|purchas|procurement|acquisition|development)|ammunition production|procurement|purchas(?:e|ing) (?:of )?(?:weapons|tanks|equipment|arms)|manufactur|defen[cs]e (?:materials|equipment|technology|projects)|industrial projects|buying tanks|defen[cs]e technology|\bDTTI\b|"
              r"military[- ]technical|military products|defen[cs]e products",
              ("industr", "arms", "sale", "export", "production", "purchas", "procurement", "acquisition",
               "joint development", "manufactur", "materials", "equipment", "technology", "projects", "tanks", "dtti",
               "technical", "products")),
    # not "aid" alone ("said"): "aid to ukraine" has "ukrain", "military aid" has "military"
    TopicRule("military_aid",
              r"military (?:aid|assistance|support)|aid to ukraine|support (?:for|to) ukraine|(?:supply|supplies|deliveries|delivery) of (?:weapons|arms|equipment|\w+ (?:artillery|systems|tanks|missiles|ammunition|aircraft|jets))|aid package|weapons (?:supplies|deliveries)|needs of (?:the )?ukrain|urgent needs|military support|help ukraine|assistance to ukraine|defend themselves|support ukraine|supporting ukraine",
              ("military", "aid package", "ukrain", "support", "deliver", "suppl", "needs", "help", "assistance",
               "defend")),
    TopicRule("security_guarantees",
              r"security guarantee|security commitments|security assurances",
              ("security guarantee", "security commitments", "security assurances")),
    TopicRule("frontline_situation",
              r"front ?lines?|battlefield|situation at the front|operational situation|combat situation",
              ("front", "battlefield", "operational situation", "combat situation")),
    TopicRule("airspace_incident",
              r"airspace|violation of (?:the )?air|incursion|flew into",
              ("airspace", "violation of", "incursion", "flew into")),
    TopicRule("border_security",
              r"border (?:security|situation|protection|clashes|incident)|\bborders?\b.{0,30}\b(?:security|clash|situation|threat)|line of actual control|\bLAC\b|state border|cross-border",
              ("border", "line of actual control", "lac")),
    TopicRule("regional_security",
              r"regional (?:security|stability|situation|issues|developments|formats|and (?:international|defen[cs]e|security))|regional,|security (?:in|of|for) (?:the|our) region|(?:threats?|challenges) (?:for|to|in) (?:the|our) region|security (?:topics|issues|situation) (?:concerning|in|of) the region|security situation|region(?:al)? security|stability (?:and security )?(?:in|across|of) the|security and stability|stability and security|security environment|security risks|developments in ukraine|situation in (?:the )?(?:region|ukraine|gaza|middle east|neighbourhood|neighborhood)|gaza|balkans|eastern flank|east flank|confidence[- ]building|ongoing war|war in ukraine|escalat(?:e|ion|ing)|security challenges",
              ("region", "security", "stability", "ukraine", "gaza", "balkans", "flank", "confidence", "war", "escalat",
               "middle east", "neighbo")),
    TopicRule("peace_process",
              r"peace (?:process|talks|plan|formula|deal|negotiations|treaty|agreement|accord|settlement|efforts|initiative)|ceasefire|cease-fire|settlement of the conflict|peace formula|end the war",
              ("peace", "ceasefire", "cease-fire", "settlement", "end the war")),
    TopicRule("nato_cooperation",
              r"\bNATO\b|north atlantic|\balliance\b|\ballies\b|\ballied\b",
              ("nato", "north atlantic", "allian", "allie"),
              # NATO as the venue of the talks (a summit, a ministerial, its headquarters) or in a title is not what they
              # were about; nor is a two-state alliance ("the U.S.-Japan alliance")
              not_within=r"\bnato secretary|secretary[- ]general of nato|"
                         r"(?:fringes?|sidelines?|margins?) of (?:the |an? )?(?:\w+ ){0,2}nato (?:summit|ministerial|(?:defen[cs]e )?ministers|meeting)|"
                         r"(?:meeting|summit|ministerial) of (?:the )?nato (?:defen[cs]e |foreign )?ministers|"
                         r"(?:at|in) (?:the )?(?:nato|alliance's|alliance’s) (?:headquarters|hq)\b|"
                         r"\b[a-z.]+-[a-z.]+ alliance"),
    TopicRule("maritime_security",
              r"maritime|black sea|naval security|east china sea|south china sea|territorial waters|shipping|freedom of navigation",
              ("maritime", "black sea", "naval", "china sea", "territorial waters", "shipping", "navigation")),
    TopicRule("counterterrorism",
              r"counter-?terror|terrorism|terror(?:ist)? (?:groups?|organi[sz]ations?|threats?|networks?|cells?)|extremis|jihad|\bISIS\b|islamic state|al-?qaeda",
              ("terror", "extremis", "jihad", "isis", "islamic state", "qaeda")),
    TopicRule("bilateral_cooperation",
              r"(?:bilateral|defen[cs]e|military|strategic) (?:defen[cs]e )?(?:cooperation|collaboration|partnership|relations(?:hip)?|ties)|cooperation between (?:the )?(?:two|armed forces|both|defen[cs]e ministries|militaries)|(?:relations|relationship) between the (?:two )?(?:armed forces|militaries)|military-to-military|bilateral relations|strategic partnership",
              ("cooperation", "collaboration", "partnership", "relations", "ties", "military-to-military")),
)
assert [r.topic for r in TOPIC_RULES] == [t for t in TOPICS if t in {r.topic for r in TOPIC_RULES}]  # list order
# Defence cooperation stated as such ("bilateral defence cooperation", "strengthening defence ties", "cooperation between
# the two countries' armed forces"): kept next to the specific topics (a bare "military cooperation" is not enough).
# Only looked for where the bilateral_cooperation rule hit: every text it matches is matched by that rule too.
_EXPLICIT_BILATERAL = re.compile(
    r"bilateral (?:defen[cs]e |military )?(?:cooperation|collaboration|partnership|ties)|strategic partnership|"
    r"defen[cs]e (?:cooperation|collaboration|partnership|relationship|ties)|"
    r"cooperation between (?:the )?(?:armed forces|militaries|defen[cs]e ministries|two (?:countries(?:'|’)? )?(?:armed forces|militaries|defen[cs]e ministries))|"
    r"(?:strengthen|deepen|expand|bolster|enhanc|broaden)\w* (?:(?:the|their|our|its|bilateral|defen[cs]e|military) )*(?:ties|cooperation) between")
# the cooperation of a group of states or of an organisation ("Nordic Defence Cooperation", "trilateral defence
# cooperation", "ASEAN defence cooperation") is not the two sides' own
_GROUP_BEFORE = re.compile(r"(?:nordic|baltic|trilateral|multilateral|regional|european|asean|nato|eu|international|"
                           r"alliance|allied|[a-z]+-[a-z]+-[a-z]+) $")
TOPIC_GATE = RecordGate(TOPIC_RULES)


_GROUP_AFTER = re.compile(r" (?:between|among) (?:the )?(?:three|four|five|baltic|nordic|member)\b")


def _explicit_bilateral(low: str) -> bool:
    """Does the text state the sides' own defence cooperation (not a group's: see _GROUP_BEFORE, _GROUP_AFTER)?"""
    return any(not _GROUP_BEFORE.search(low, max(0, m.start() - 30), m.start()) and not _GROUP_AFTER.match(low, m.end())
               for m in _EXPLICIT_BILATERAL.finditer(low))


def topic_hits(text: str) -> frozenset[str]:
    """Raw keyword hits of one piece of text (a sentence); combine several with ``combine_topics``.
    ``"+bilateral"`` marks general cooperation stated explicitly as bilateral/strategic."""
    return topic_hits_lower(text.lower())


def topic_hits_lower(low: str, opened: tuple[TopicRule, ...] | None = None) -> frozenset[str]:
    """``topic_hits(text)`` for ``low = text.lower()``; ``opened``: its ``TOPIC_GATE.open`` if known."""
    found = set()
    for rule in TOPIC_GATE.open(low) if opened is None else opened:
        if rule.not_rx is None:
            hit = rule.rx.search(low) is not None
        else:
            hits = [m for m in rule.rx.finditer(low)]
            # all hits inside a negative context -> not the topic
            spans = [m.span() for m in rule.not_rx.finditer(low)] if hits else []
            hit = bool(hits) and not (spans and all(any(a <= h.start() < b for a, b in spans) for h in hits))
        if hit:
            found.add(rule.topic)
            if rule.topic == "bilateral_cooperation" and _explicit_bilateral(low):
                found.add("+bilateral")
    return frozenset(found)


def combine_topics(hit_sets) -> tuple[str, ...]:
    """Topics of a contact from the hits of its sentences, in the order of vocabulary.TOPICS.
    General defence cooperation is the fallback, or kept when stated as such ("+bilateral") next to specific topics."""
    allhits: set[str] = set().union(*hit_sets) if hit_sets else set()
    specific = [t for t in TOPICS if t in allhits and t != "bilateral_cooperation"]
    if "bilateral_cooperation" in allhits and (not specific or "+bilateral" in allhits):
        specific.append("bilateral_cooperation")
    return tuple(specific)


def topics_for(text: str) -> tuple[str, ...]:
    return combine_topics([topic_hits(text)])
