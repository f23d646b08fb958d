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


# ---- undated reports ------------------------------------------------------------------------------------------------

CALL = "Estonian Minister of Defence Hanno Pevkur held a phone call with Latvian Minister of Defence Andris Sprūds."
EE_LV = (("EE", "e-pevkur"), ("LV", "e-spruds"))


def undated(eid, doc, evidence=CALL, pub=None, sides=EE_LV, **kw):
    return ContactReport(event_id=eid, doc_id=doc, event_type=kw.pop("etype", "call"), status=kw.pop("status", "occurred"),
                         sides=tuple(sides), published_date=pub, source_name=f"{doc}.txt", evidence=evidence,
                         names=tuple(e or c for c, e in sides), **kw)


def test_one_undated_call_reported_by_two_outlets_two_days_apart_is_one_contact():
    a = undated("e1", "d1", pub=date(2025, 4, 2))
    b = undated("e2", "d2", pub=date(2025, 4, 4), evidence="Sprūds and Pevkur spoke by telephone about air defence.")
    assert group_contacts([a, b]) == [[0, 1]]
    # three days apart is beyond what an undated report's publication lag allows
    assert not same_contact(a, undated("e3", "d3", pub=date(2025, 4, 5)))


def test_the_same_ministers_calls_a_month_apart_undated_in_articles_a_month_apart_are_two_contacts():
    april = undated("e1", "d1", pub=date(2025, 4, 2))
    may = undated("e2", "d2", pub=date(2025, 5, 6))  # even in the very same words
    assert group_contacts([april, may]) == [[0], [1]]


def test_planned_and_occurred_undated_stay_two_contacts():
    planned = undated("e1", "d1", etype="meeting", status="planned", pub=date(2025, 6, 10),
                      evidence="Finnish Minister of Defence Antti Häkkänen will meet Estonian Minister of Defence Hanno Pevkur.")
    held = undated("e2", "d2", etype="meeting", pub=date(2025, 6, 11),
                   evidence="Finnish Minister of Defence Antti Häkkänen met Estonian Minister of Defence Hanno Pevkur.")
    assert group_contacts([planned, held]) == [[0], [1]]
    # unanchored (no publication date either): the status must agree too, even on the same sentence
    assert not same_contact(undated("e3", "d3", status="planned"), undated("e4", "d4"))


def test_a_visit_and_the_talks_during_it_stay_two_contacts():
    visit = undated("e1", "d1", etype="visit", pub=date(2025, 6, 11))
    talks = undated("e2", "d2", etype="meeting", pub=date(2025, 6, 11))
    assert group_contacts([visit, talks]) == [[0], [1]]
    assert group_contacts([undated("e3", "d3", etype="visit"), undated("e4", "d4", etype="meeting")]) == [[0], [1]]


def test_an_undated_report_in_an_undated_article_joins_only_on_the_same_sentence_and_participants():
    copy1 = undated("e1", "d1")
    copy2 = undated("e2", "d2", evidence=CALL.replace(" ", "  ").replace(".", " ."))  # reflowed by another site
    curly = undated("e3", "d3", evidence=CALL.replace("Sprūds.", "Sprūds’.").replace("phone call", "phone-call"))
    other_words = undated("e4", "d4", evidence="Sprūds and Pevkur spoke by telephone about air defence of the Baltics.")
    other_people = undated("e5", "d5", sides=(("EE", "e-pevkur"), ("LV", "e-rinkevics")))
    unnamed = undated("e6", "d6", sides=(("EE", None), ("LV", None)))
    dated_copy = undated("e7", "d7", pub=date(2025, 4, 2))  # the same sentence in a dated article
    short = [undated("e8", "d8", evidence="They spoke."), undated("e9", "d9", evidence="They spoke.")]
    reps = [copy1, copy2, curly, other_words, other_people, unnamed, dated_copy, *short]
    assert group_contacts(reps) == [[0, 1, 2], [3], [4], [5], [6], [7], [8]]
    assert same_contact(copy1, copy2) and not same_contact(copy1, dated_copy)
    # video_call ~ call, as for dated reports
    assert same_contact(copy1, undated("e10", "d10", etype="video_call"))


def test_undated_copies_group_in_any_order_and_keep_the_id_of_their_first_report():
    reps = [undated(f"e{i}", f"d{i}") for i in range(15)] + [undated("x", "dx", sides=(("EE", None), ("FI", None)))]
    g1 = {frozenset(reps[i].event_id for i in g) for g in group_contacts(reps)}
    g2 = {frozenset(reps[::-1][i].event_id for i in g) for g in group_contacts(reps[::-1])}
    assert g1 == g2 == {frozenset(f"e{i}" for i in range(15)), frozenset({"x"})}
    assert contact_id(reps[:15]) == contact_id(reps[14::-1]) == contact_id([reps[0]])  # smallest event id: e0


def test_two_reports_of_one_undated_article_stay_apart_but_both_join_a_copy():
    a, b = undated("e1", "d1"), undated("e2", "d1")
    assert group_contacts([a, b]) == [[0], [1]]
    assert group_contacts([a, b, undated("e3", "d2")]) == [[0, 1, 2]]


def test_the_evidence_key_is_the_same_in_sql():
    import duckdb

    from defcomm_assets.stages.contacts.grouping import evidence_key, evidence_key_sql
    texts = [CALL, CALL.upper(), "“Quoted” — «guillemets» 「防衛大臣」、and\u00a0no-break\u2009spaces, tabs\tand\nlines",
             "İstanbul Kelvin \u212a, e\u0301 combining, emoji 👍🏽 and more words here", "x" * 29, "x" * 30, "", None]
    con = duckdb.connect()
    got = [r[0] for r in con.execute(f"SELECT {evidence_key_sql('s')} FROM unnest(?::VARCHAR[]) WITH ORDINALITY t(s, i) "
                                     "ORDER BY i", [texts]).fetchall()]
    assert got == [evidence_key(t) for t in texts]
    assert evidence_key("x" * 29) == "" and evidence_key(CALL).startswith("EstonianMinisterofDefence")
