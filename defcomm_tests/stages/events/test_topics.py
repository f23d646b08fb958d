from defcomm_assets.core.vocabulary import TOPICS
from defcomm_assets.stages.events.gate import RecordGate
from defcomm_assets.stages.events.topics import TOPIC_GATE, TOPIC_RULES, TopicRule, topics_for
from defcomm_tests.stages.events.gates import gate_misses


def test_topics_from_the_closed_list_in_list_order():
    t = topics_for("They discussed air defense, the situation on the frontline and joint production of drones.")
    assert t == ("air_defense", "drones", "defense_industry", "frontline_situation")
    assert set(t) <= set(TOPICS)


def test_airspace_incident_and_regional_security():
    t = topics_for("Regional security and the recent incident in Polish airspace near the Ukrainian border were discussed.")
    assert "airspace_incident" in t and "regional_security" in t


def test_general_cooperation_only_when_nothing_more_specific():
    assert topics_for("to deepen defence cooperation between the two countries") == ("bilateral_cooperation",)
    assert "bilateral_cooperation" not in topics_for("cooperation in the field of training and cybersecurity")


def test_security_guarantees_and_peace_process():
    assert topics_for("negotiations on a bilateral agreement on security guarantees") == ("security_guarantees",)
    assert "peace_process" in topics_for("talks on the parameters of a ceasefire")


def test_attacks_by_terrorists_are_not_counterterrorism_talks_but_terror_groups_are():
    assert "counterterrorism" not in topics_for("He briefed him on the recent terrorist attacks on cities.")
    assert "counterterrorism" in topics_for("They discussed the cross-border threat of terror groups.")


def test_no_topic_in_plain_text():
    assert topics_for("The two leaders spoke for an hour.") == ()


def test_every_alternative_of_every_topic_rule_gets_through_its_gate():
    """The substring gates only decide which rules are run: every alternative of a rule, written out on its own
    ("... the situation in the neighbourhood ..."), must open the rule's gate."""
    missed = []
    for r in TOPIC_RULES:
        missed += [(r.topic, ex) for ex in gate_misses(r.pattern, lambda x, r=r: r.rx.search(x.lower()) is not None,
                                                       lambda low, r=r: r in TOPIC_GATE.open(low))]
    assert missed == []


def test_a_topic_rule_whose_anchors_miss_an_alternative_is_caught():
    broken = TopicRule("drones", r"\bdrones?\b|\buavs?\b", ("drone",))
    gate = RecordGate([broken])
    assert gate_misses(broken.pattern, lambda x: broken.rx.search(x.lower()) is not None,
                       lambda low: broken in gate.open(low)) == ["uav"]


def test_topic_rules_follow_the_vocabulary():
    assert [r.topic for r in TOPIC_RULES] == [t for t in TOPICS if t in {r.topic for r in TOPIC_RULES}]


def test_cooperation_stated_as_such_is_kept_next_to_specific_topics():
    # the sides' own defence cooperation, stated explicitly, stays next to what they went into in detail
    assert topics_for("The ministers reviewed bilateral defence cooperation and agreed on joint naval drills.") == (
        "joint_exercises", "bilateral_cooperation")
    assert "bilateral_cooperation" in topics_for(
        "They pledged to deepen defense ties between the two nations and to step up counter-terrorism efforts.")
    assert "bilateral_cooperation" in topics_for(
        "He praised the cooperation between the two countries' armed forces and thanked the troops serving in NATO.")
    assert "bilateral_cooperation" in topics_for(
        "Both sides hailed the growing defence collaboration and discussed cyber threats.")
    # a bare mention of cooperation next to specific topics is not enough
    assert topics_for("They discussed military cooperation and air defence.") == ("air_defense",)


def test_the_cooperation_of_a_group_or_an_organisation_is_not_the_sides_own():
    assert "bilateral_cooperation" not in topics_for(
        "The ministers met under the Nordic defence cooperation format to discuss maritime security.")
    assert "bilateral_cooperation" not in topics_for(
        "The talks covered trilateral defence cooperation and the NATO accession process.")
    assert "bilateral_cooperation" not in topics_for(
        "They spoke about drone production and defence cooperation between the three Baltic states.")


def test_the_ties_of_the_two_militaries_and_ministries_are_general_cooperation():
    assert topics_for("Li said the sides would improve the relationship between the militaries.") == ("bilateral_cooperation",)
    assert topics_for("Officials praised the cooperation between the defence ministries.") == ("bilateral_cooperation",)


def test_nato_as_the_venue_or_a_two_state_alliance_is_not_nato_cooperation():
    assert "nato_cooperation" not in topics_for("The two ministers spoke on the sidelines of the NATO summit in Madrid about drones.")
    assert "nato_cooperation" not in topics_for("They met on the fringes of an informal NATO ministerial.")
    assert "nato_cooperation" not in topics_for("The talks were held at NATO headquarters after a meeting of NATO defence ministers.")
    assert "nato_cooperation" not in topics_for("Both sides vowed to modernise the Japan-U.S. alliance.")
    # NATO as the subject matter still counts, also in a sentence that names the venue
    assert "nato_cooperation" in topics_for("On the sidelines of the NATO summit they discussed Finland's accession to NATO.")
    assert "nato_cooperation" in topics_for("They discussed the contribution of their troops to NATO missions.")


def test_military_technical_cooperation_and_military_products_are_defense_industry():
    assert topics_for("The ministers discussed military-technical cooperation.") == ("defense_industry",)
    assert topics_for("He said their military products could interest the partner's armed forces.") == ("defense_industry",)
    assert "defense_industry" in topics_for("They signed a plan of military technical cooperation for next year.")
    assert "training" in topics_for("Cooperation in the military-educational sphere was discussed.")
