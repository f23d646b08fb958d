"""Event data's codes (CAMEO, PLOVER): every event type and status maps as docs/EVENT_CODES.md says."""
from __future__ import annotations

import re

import pytest

from defcomm_assets.core import vocabulary
from defcomm_tests.paths import ROOT

# type -> (first side's code, the others' code or None), PLOVER mode of each, when the contact occurred
OCCURRED = {
    "call": (("041", "CONSULT", "phone"), ("041", "CONSULT", "phone")),
    "video_call": (("041", "CONSULT", "phone"), ("041", "CONSULT", "phone")),
    "meeting": (("040", "CONSULT", None), ("040", "CONSULT", None)),
    "visit": (("042", "CONSULT", "visit"), ("043", "CONSULT", "host")),
    "negotiation": (("046", "CONSULT", None), ("046", "CONSULT", None)),
    "agreement": (("057", "AGREE", None), ("057", "AGREE", None)),
    "invitation": (("036", "AGREE", None), None),
}
PLANNED = {t: ("036", "AGREE", None) for t in OCCURRED} | {"agreement": ("030", "AGREE", None)}


def _t(code):
    return None if code is None else (code.cameo_code, code.plover_type, code.plover_mode)


def test_every_type_is_mapped():
    assert set(OCCURRED) == set(vocabulary.EVENT_TYPES)
    assert set(vocabulary.EVENT_STATUSES) == {"occurred", "planned"}


@pytest.mark.parametrize("event_type", sorted(OCCURRED))
def test_each_type_and_status_maps_as_documented(event_type):
    forward, reverse = vocabulary.event_codes(event_type, "occurred")
    assert (_t(forward), _t(reverse)) == OCCURRED[event_type]
    forward, reverse = vocabulary.event_codes(event_type, "planned")
    assert _t(forward) == PLANNED[event_type]
    # a planned contact keeps its type's directions: both, or the inviter's only
    assert _t(reverse) == (None if OCCURRED[event_type][1] is None else PLANNED[event_type])


def test_third_country_and_multilateral_meetings():
    codes = vocabulary.event_codes
    assert _t(codes("meeting", "occurred", 2, third_location=True)[0]) == ("044", "CONSULT", "third-party")
    assert _t(codes("meeting", "occurred", 3)[0]) == ("040", "CONSULT", "multilateral")
    assert _t(codes("meeting", "occurred", 3, third_location=True)[1]) == ("044", "CONSULT", "multilateral")
    assert _t(vocabulary.event_codes("negotiation", "occurred", 4)[0]) == ("046", "CONSULT", "multilateral")
    # the medium or the trip stays the mode; a third location changes only a meeting; a planned contact stays 036
    assert _t(vocabulary.event_codes("call", "occurred", 3, True)[0]) == ("041", "CONSULT", "phone")
    assert _t(vocabulary.event_codes("visit", "occurred", 3, True)[1]) == ("043", "CONSULT", "host")
    assert _t(vocabulary.event_codes("negotiation", "occurred", 2, True)[0]) == ("046", "CONSULT", None)
    assert _t(vocabulary.event_codes("meeting", "planned", 3, True)[0]) == ("036", "AGREE", None)


def test_the_documented_tables_say_the_same():
    doc = (ROOT / "docs" / "EVENT_CODES.md").read_text(encoding="utf-8")
    for code in vocabulary.CAMEO_CODE_RECORDS:
        if code.code == "030":
            continue  # defcomm's reading, stated in the planned-contact row
        row = re.search(rf"^\| {code.code} \| [^|]+ \| (\w+) \| ([\w-]*) ?\|$", doc, re.M)
        assert row, code.code
        assert (row.group(1), row.group(2) or None) == (code.plover_type, code.plover_mode)
    for event_type, (forward, reverse) in OCCURRED.items():
        row = re.search(rf"^\| {event_type} \| ([^|]+) \| ([^|]+) \|", doc, re.M)
        assert row, event_type
        codes = re.findall(r"\d{3}", row.group(2))
        assert codes[0] == forward[0]
        if event_type == "visit":
            assert codes[1] == reverse[0]
        assert ("only" in row.group(1)) == (reverse is None)


def test_organisations_are_at_home_where_they_sit_and_keep_their_codes():
    assert vocabulary.at_home("NATO", "BE") and vocabulary.at_home("PL", "PL")
    assert not vocabulary.at_home("US", "BE") and not vocabulary.at_home("US", None)
    alpha3 = {c.code: c.alpha3 for c in vocabulary.country_records()}
    assert [alpha3[c] for c in ("UA", "GB", "NATO", "EU", "XK")] == ["UKR", "GBR", "NATO", "EU", "XKX"]
    assert set(vocabulary.ORGANISATION_SEATS) == set(vocabulary.ORGANISATION_CODES)
