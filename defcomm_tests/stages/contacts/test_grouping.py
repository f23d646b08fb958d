from datetime import date

from defcomm_assets.stages.contacts.grouping import ContactReport, contact_id, group_contacts, same_contact


def rep(eid, doc, etype="call", status="occurred", sides=(("UA", "e-umerov"), ("PL", "e-kk")), ed=None, pub=None):
    return ContactReport(event_id=eid, doc_id=doc, event_type=etype, status=status, sides=tuple(sides),
                         event_date=ed, published_date=pub, source_name=f"{doc}.txt")


def test_same_call_reported_by_two_articles_is_one_contact():
    a = rep("e1", "d1", ed=date(2025, 12, 5), pub=date(2025, 12, 6))
    b = rep("e2", "d2", ed=None, pub=date(2025, 12, 6), sides=(("PL", "e-kk"), ("UA", "e-umerov")))
    c = rep("e3", "d3", ed=date(2025, 11, 1), pub=date(2025, 11, 1))  # an earlier call of the same pair
    groups = group_contacts([a, b, c])
    assert groups == [[0, 1], [2]]
    assert contact_id([a, b]) == contact_id([b, a])


def test_grouping_is_order_independent():
    reps = [rep(f"e{i}", f"d{i}", ed=date(2025, 12, 5 + (i % 2)), pub=date(2025, 12, 7)) for i in range(6)]
    reps.append(rep("x", "dx", sides=(("UA", None), ("US", None)), ed=date(2025, 12, 5)))
    g1 = {frozenset(reps[i].event_id for i in g) for g in group_contacts(reps)}
    g2 = {frozenset(reps[::-1][i].event_id for i in g) for g in group_contacts(reps[::-1])}
    assert g1 == g2
    assert frozenset({"x"}) in g1 and len(g1) == 2


def test_different_people_of_the_same_countries_are_different_contacts():
    a = rep("e1", "d1", ed=date(2024, 1, 25))
    b = rep("e2", "d2", ed=date(2024, 1, 25), sides=(("UA", "e-zelensky"), ("PL", "e-duda")))
    assert not same_contact(a, b)
    # a report that names only the countries matches either
    c = rep("e3", "d3", ed=date(2024, 1, 25), sides=(("UA", None), ("PL", None)))
    assert same_contact(a, c) and same_contact(b, c)


def test_incompatible_types_dates_and_undated_without_publication_stay_apart():
    a = rep("e1", "d1", etype="call", ed=date(2024, 1, 25))
    assert same_contact(a, rep("e2", "d2", etype="video_call", ed=date(2024, 1, 26)))
    assert not same_contact(a, rep("e3", "d3", etype="meeting", ed=date(2024, 1, 25)))
    assert not same_contact(a, rep("e4", "d4", ed=date(2024, 1, 28)))
    assert not same_contact(rep("e5", "d5"), rep("e6", "d6"))
    assert same_contact(rep("e5", "d5", pub=date(2024, 2, 1)), rep("e6", "d6", pub=date(2024, 2, 2)))


def test_planned_and_occurred_merge_only_on_the_same_date():
    planned = rep("e1", "d1", etype="meeting", status="planned", ed=date(2024, 3, 4), pub=date(2024, 3, 1))
    held = rep("e2", "d2", etype="meeting", status="occurred", ed=date(2024, 3, 4), pub=date(2024, 3, 4))
    assert same_contact(planned, held)
    assert not same_contact(rep("e3", "d3", etype="meeting", status="planned", pub=date(2024, 3, 1)),
                            rep("e4", "d4", etype="meeting", status="occurred", pub=date(2024, 3, 2)))


def test_two_reports_of_one_document_are_not_merged_here():
    assert group_contacts([rep("e1", "d1", ed=date(2024, 1, 1)), rep("e2", "d1", ed=date(2024, 1, 1))]) == [[0], [1]]


def test_a_later_report_joins_a_contact_without_changing_its_id():
    first = rep("e9", "d1", ed=date(2025, 12, 5), pub=date(2025, 12, 5))
    later = rep("e1", "d2", ed=date(2025, 12, 5), pub=date(2025, 12, 8))  # smaller event id, published later
    assert group_contacts([first, later]) == [[0, 1]]
    assert contact_id([first, later]) == contact_id([first]) == contact_id([later, first])
    earlier = rep("e5", "d3", ed=date(2025, 12, 5), pub=date(2025, 12, 4))
    assert contact_id([first, later, earlier]) == contact_id([earlier])
    undated = rep("e0", "d4", ed=date(2025, 12, 5), pub=None)  # no publication date: never the first report
    assert contact_id([first, undated]) == contact_id([first])
