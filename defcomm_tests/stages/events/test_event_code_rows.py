"""The events stage's rows carry event data's codes: the event's (its first side's), each side's, a visit's host."""
from __future__ import annotations

from defcomm_assets.core.records import EventRecord, Mention, Participant
from defcomm_assets.stages.events.rows import event_rows

TEXT = "Minister A of Poland visited Kyiv and met Minister B of Ukraine."


def _rec(event_type, ccs, status="occurred", location=None, initiator=False):
    parts = tuple(Participant(name=f"P{i}", country_code=cc, is_initiator=initiator and i == 0)
                  for i, cc in enumerate(ccs))
    return EventRecord(event_type=event_type, status=status, participants=parts, evidence=TEXT, evidence_start=0,
                       evidence_end=len(TEXT), location=location)


def _codes(rec, mentions=()):
    (ev,), parts = event_rows("doc", [rec], mentions)
    return ev, [(p["country_code"], p["is_host"], p["cameo_code"], p["plover_mode"]) for p in parts]


def test_a_visit_codes_the_visitor_042_and_the_host_043():
    ev, parts = _codes(_rec("visit", ["PL", "UA"]))
    assert (ev["cameo_code"], ev["plover_type"], ev["plover_mode"]) == ("042", "CONSULT", "visit")
    assert parts == [("PL", False, "042", "visit"), ("UA", True, "043", "host")]


def test_the_location_names_the_host_when_it_is_one_sides_country():
    kyiv = Mention("GPE", "Kyiv", TEXT.index("Kyiv"), TEXT.index("Kyiv") + 4, "Kyiv", country_code="UA")
    # the rules listed the host first (as when the host took the initiative): the location puts it right
    ev, parts = _codes(_rec("visit", ["UA", "PL"], location="Kyiv"), [kyiv])
    assert ev["location_country"] == "UA"
    assert parts == [("UA", True, "043", "host"), ("PL", False, "042", "visit")]


def test_a_meeting_is_coded_by_where_it_took_place():
    kyiv = Mention("GPE", "Kyiv", TEXT.index("Kyiv"), TEXT.index("Kyiv") + 4, "Kyiv", country_code="UA")
    brussels = Mention("GPE", "Brussels", 0, 8, "Brussels", country_code="BE")
    assert _codes(_rec("meeting", ["PL", "UA"], location="Kyiv"), [kyiv])[1] == [("PL", None, "040", None),
                                                                                ("UA", None, "040", None)]
    ev, parts = _codes(_rec("meeting", ["PL", "UA"], location="Brussels"), [brussels])
    assert (ev["cameo_code"], ev["plover_mode"], ev["location_country"]) == ("044", "third-party", "BE")
    # NATO sits in Brussels: not a third country for a meeting with NATO
    assert _codes(_rec("meeting", ["NATO", "UA"], location="Brussels"), [brussels])[0]["cameo_code"] == "040"
    # a place without a country, or no mention of it: 040
    assert _codes(_rec("meeting", ["PL", "UA"], location="Somewhere"))[0]["cameo_code"] == "040"


def test_an_invitation_codes_the_inviter_only_and_a_planned_contact_036():
    assert _codes(_rec("invitation", ["UA", "PL"], initiator=True))[1] == [("UA", None, "036", None),
                                                                           ("PL", None, None, None)]
    ev, parts = _codes(_rec("visit", ["PL", "UA"], status="planned"))
    assert (ev["cameo_code"], ev["plover_type"], ev["plover_mode"]) == ("036", "AGREE", None)
    assert parts == [("PL", False, "036", None), ("UA", True, "036", None)]


def test_codes_leave_the_other_columns_alone():
    ev, _ = _codes(_rec("meeting", ["PL", "UA", "RO"]))
    assert ev["plover_mode"] == "multilateral"
    (plain,), parts = event_rows("doc", [_rec("meeting", ["PL", "UA", "RO"])])
    assert plain["event_id"] == ev["event_id"] and [p["position"] for p in parts] == [0, 1, 2]
