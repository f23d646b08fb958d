from defcomm_assets.records import TOPICS
from defcomm_assets.topics import topics_for


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


def _examples(pattern: str) -> list[str]:
    """Short texts a regex matches: every alternative of every group at least once (one group varied at a time,
    the others at their first alternative)."""
    import re._constants as c
    import re._parser as p

    def item(op, av) -> list[str]:
        if op is c.LITERAL:
            return [chr(av)]
        if op is c.NOT_LITERAL:
            return ["x" if chr(av) != "x" else "y"]
        if op is c.IN:
            kind, val = av[0]
            return [chr(val) if kind is c.LITERAL else chr(val[0]) if kind is c.RANGE
                    else " " if val is c.CATEGORY_SPACE else "a"]
        if op is c.ANY:
            return ["a"]
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op is c.BRANCH:
            return [x for branch in av[1] for x in seq(branch)]
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, _, sub = av
            sub_items = list(sub)
            if lo == 0 and len(sub_items) == 1 and (sub_items[0][0] is c.ANY or (
                    sub_items[0][0] is c.IN and sub_items[0][1][0][0] is c.NEGATE)):
                return [" "]  # ".{0,30}", "[^.;]{0,80}" between two words: a space keeps the word boundaries
            return [x * lo for x in seq(sub)] if lo else [""] + seq(sub)[1:]
        if op is c.ASSERT and av[0] == 1:
            return seq(av[1])[:1]  # a lookahead: what it asks for comes next
        return [""]  # AT (\b), lookbehinds, negative lookaheads: nothing to write

    def seq(items) -> list[str]:
        variants = [item(op, av) for op, av in items]
        base = [v[0] for v in variants]
        out = ["".join(base)]
        for i, v in enumerate(variants):
            out.extend("".join(base[:i] + [x] + base[i + 1:]) for x in v[1:])
        return out

    return seq(p.parse(pattern))


def test_every_alternative_of_every_topic_rule_gets_through_its_gate():
    """The substring gates only decide which rules are run: every alternative of a rule, written out on its own
    ("... the situation in the neighbourhood ..."), must still be found."""
    from defcomm_assets.topics import _COMPILED, topic_hits

    missed = []
    for name, rx in _COMPILED.items():
        for ex in _examples(rx.pattern):
            text = f"they discussed {ex} today"
            assert rx.search(text), (name, ex)  # the example is right
            if name not in topic_hits(text) and name != "bilateral_cooperation":
                missed.append((name, ex))
    assert missed == []
