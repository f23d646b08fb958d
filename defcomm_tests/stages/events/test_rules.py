"""Event rules on real-style sentences with hand-built mentions (independent of the NER stage)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from defcomm_assets.core.records import Mention
from defcomm_assets.core.sentences import split_sentences
from defcomm_assets.stages.events.gate import RecordGate
from defcomm_assets.stages.events.patterns import GatedPattern
from defcomm_assets.stages.events.rules import extract_events
from defcomm_assets.stages.events.triggers import JOINED, NOT_CONTACT, TRIGGER_GATE, TRIGGERS, Trigger
from defcomm_tests.paths import ROOT
from defcomm_tests.stages.events.gates import gate_misses


def mentions(text: str, *specs) -> list[Mention]:
    """specs: (surface, label, country, canonical_name, occurrence) - offsets by str.find."""
    out = []
    for spec in specs:
        surface, label, cc = spec[:3]
        name = spec[3] if len(spec) > 3 and spec[3] else surface
        occ = spec[4] if len(spec) > 4 else 0
        pos = -1
        for _ in range(occ + 1):
            pos = text.find(surface, pos + 1)
        assert pos >= 0, surface
        key = f"{label}:{name}"
        out.append(Mention(label, surface, pos, pos + len(surface), name, cc, None, key,
                           f"id-{name}" if label == "PERSON" else None))
    return out


def people(text: str, *names_cc) -> list[Mention]:
    """Every occurrence of each person's full name and surname."""
    out = []
    for full, cc in names_cc:
        for surface in sorted({full, full.split()[-1]}, key=len, reverse=True):
            start = 0
            while (pos := text.find(surface, start)) >= 0:
                start = pos + 1
                if any(m.start_char < pos + len(surface) and pos < m.end_char for m in out):
                    continue
                out.append(Mention("PERSON", surface, pos, pos + len(surface), full, cc, None, f"P:{full}", f"id-{full}"))
    return out


def dyads(events):
    return sorted((e.event_type, tuple(sorted({p.country_code for p in e.participants}))) for e in events)


# ---------------------------------------------------------------- types

def test_telephone_call_seed_sentence_typed_call_and_dated_from_explicit_day():
    text = ("On 25 January, Valerii Zaluzhnyi, Commander-in-Chief of the Armed Forces of Ukraine, held a telephone "
            "call with Wiesław Kukuła, Chief of the General Staff of Poland,\n\nZaluzhnyi reported this on his Telegram channel.")
    ms = people(text, ("Valerii Zaluzhnyi", "UA"), ("Wiesław Kukuła", "PL"))
    evs = extract_events(text, ms, date(2024, 1, 25))
    assert dyads(evs) == [("call", ("PL", "UA"))]
    e = evs[0]
    assert e.status == "occurred"
    assert e.event_date == date(2024, 1, 25) and e.date_source == "explicit"
    assert e.evidence == text[e.evidence_start:e.evidence_end]
    assert {p.entity_id for p in e.participants} == {"id-Valerii Zaluzhnyi", "id-Wiesław Kukuła"}


def test_video_conference_is_video_call():
    text = ("Security in the region and cybersecurity were the main topics of the video conference of Deputy Prime "
            "Minister Władysław Kosiniak-Kamysz with the Minister of Defence of Romania Radu-Dinel Miruță.")
    ms = people(text, ("Władysław Kosiniak-Kamysz", "PL"), ("Radu-Dinel Miruță", "RO"))
    evs = extract_events(text, ms, None)
    assert dyads(evs) == [("video_call", ("PL", "RO"))]
    assert "cybersecurity" in evs[0].topics and "regional_security" in evs[0].topics


def test_spoke_by_phone_is_call():
    text = "The Estonian defence minister Hanno Pevkur spoke by phone with his Finnish counterpart Antti Häkkänen on Tuesday."
    ms = people(text, ("Hanno Pevkur", "EE"), ("Antti Häkkänen", "FI"))
    evs = extract_events(text, ms, date(2024, 3, 7))  # a Thursday
    assert dyads(evs) == [("call", ("EE", "FI"))]
    assert evs[0].event_date == date(2024, 3, 5)


def test_conversation_of_unstated_medium_without_travel_is_call():
    text = ("Defense Minister of Ukraine Rustem Umerov has said that he had a productive conversation with Deputy Prime "
            "Minister of Poland, Minister of National Defense Władyslaw KosiniakKamysz.")
    ms = people(text, ("Rustem Umerov", "UA"), ("Władyslaw KosiniakKamysz", "PL"))
    assert dyads(extract_events(text, ms, None)) == [("call", ("PL", "UA"))]


def test_talks_with_a_visiting_delegation_are_a_meeting():
    text = "Latvia's Defence Minister Andris Sprūds held talks with a visiting delegation of the German Bundestag in Riga."
    ms = people(text, ("Andris Sprūds", "LV")) + mentions(text, ("German", "NORP", "DE"), ("Riga", "GPE", "LV"))
    evs = extract_events(text, ms, None)
    assert ("meeting", ("DE", "LV")) in dyads(evs)


def test_met_with_is_meeting_and_received_delegation_is_meeting():
    text = ("Romania's Defence Minister Angel Tîlvăr on Friday received a delegation led by Moldova's Defence Minister "
            "Anatolie Nosatîi.")
    ms = people(text, ("Angel Tîlvăr", "RO"), ("Anatolie Nosatîi", "MD"))
    assert dyads(extract_events(text, ms, None)) == [("meeting", ("MD", "RO"))]


def test_arrived_on_official_visit_is_visit_with_host_country():
    text = "German Defence Minister Boris Pistorius arrived in Kyiv on an official visit on Thursday."
    ms = people(text, ("Boris Pistorius", "DE")) + mentions(text, ("German", "NORP", "DE"), ("Kyiv", "GPE", "UA"))
    evs = extract_events(text, ms, date(2024, 11, 22))  # a Friday
    assert dyads(evs) == [("visit", ("DE", "UA"))]
    assert evs[0].event_date == date(2024, 11, 21)
    assert [p.country_code for p in evs[0].participants][0] == "DE"


def test_signed_memorandum_is_agreement():
    text = ("Finnish Defence Minister Antti Häkkänen and Ukraine's Defense Minister Rustem Umerov have signed a "
            "memorandum of understanding on joint production of ammunition.")
    ms = people(text, ("Antti Häkkänen", "FI"), ("Rustem Umerov", "UA"))
    evs = extract_events(text, ms, None)
    assert dyads(evs) == [("agreement", ("FI", "UA"))]
    assert "defense_industry" in evs[0].topics


def test_launched_round_of_negotiations_is_negotiation_not_agreement():
    text = ("Ukraine and Germany have launched the first round of negotiations on a bilateral agreement on security "
            "guarantees.")
    ms = mentions(text, ("Ukraine", "GPE", "UA"), ("Germany", "GPE", "DE"))
    evs = extract_events(text, ms, date(2023, 11, 17))
    assert dyads(evs) == [("negotiation", ("DE", "UA"))]
    assert evs[0].topics == ("security_guarantees",)


def test_extended_invitation_lists_inviter_first_and_is_not_a_visit():
    text = ("Zaluzhnyi extended an invitation for General Kukuła to visit Ukraine to jointly collaborate with "
            "Ukrainian brigades.")
    ms = people(text, ("Valerii Zaluzhnyi", "UA"), ("Wiesław Kukuła", "PL")) + mentions(text, ("Ukraine", "GPE", "UA"))
    evs = extract_events(text, ms, None)
    assert dyads(evs) == [("invitation", ("PL", "UA"))]
    assert evs[0].participants[0].country_code == "UA" and evs[0].participants[0].is_initiator


# ---------------------------------------------------------------- status

@pytest.mark.parametrize("sentence,status", [
    ("Minister Peter Hultqvist will meet Finland's Minister of Defence Antti Kaikkonen in Helsinki.", "planned"),
    ("Minister Peter Hultqvist met Finland's Minister of Defence Antti Kaikkonen in Helsinki.", "occurred"),
    ("Minister Peter Hultqvist is set to meet Finland's Minister of Defence Antti Kaikkonen in Helsinki.", "planned"),
    ("The ministers concurred that Minister Peter Hultqvist would meet Finland's Minister of Defence Antti Kaikkonen "
     "in Helsinki.", "planned"),
])
def test_status_from_the_predicate(sentence, status):
    ms = people(sentence, ("Peter Hultqvist", "SE"), ("Antti Kaikkonen", "FI"))
    evs = extract_events(sentence, ms, None)
    assert [(e.event_type, e.status) for e in evs] == [("meeting", status)]


def test_agreed_that_representatives_will_meet_is_planned_meeting_of_the_ministries():
    text = ("We agreed that our military representatives and representatives of the defense ministries of Ukraine and "
            "Poland will meet in the near future.")
    ms = mentions(text, ("Ukraine", "GPE", "UA"), ("Poland", "GPE", "PL"))
    evs = extract_events(text, ms, date(2025, 9, 10))
    assert [(e.event_type, e.status) for e in evs] == [("meeting", "planned")]
    assert {p.country_code for p in evs[0].participants} == {"UA", "PL"}


def test_talks_set_to_begin_are_planned():
    text = "Ruslan Stefanchuk revealed that negotiations with Poland on a security agreement are set to begin."
    ms = people(text, ("Ruslan Stefanchuk", "UA")) + mentions(text, ("Poland", "GPE", "PL"))
    evs = extract_events(text, ms, None)
    assert [(e.event_type, e.status) for e in evs] == [("negotiation", "planned")]


# ---------------------------------------------------------------- back-references and sides

def test_he_also_met_resolves_to_the_article_protagonist():
    text = ("Turkish Defense Minister Hulusi Akar held talks with Dutch Defense Minister Kajsa Ollongren at NATO headquarters. "
            "He also met with British Defense Secretary Ben Wallace.")
    ms = people(text, ("Hulusi Akar", "TR"), ("Kajsa Ollongren", "NL"), ("Ben Wallace", "GB"))
    assert dyads(extract_events(text, ms, None)) == [("meeting", ("GB", "TR")), ("meeting", ("NL", "TR"))]


def test_the_two_ministers_take_the_sides_of_the_previous_contact():
    text = ("Akar also met with his Greek counterpart Nikos Panagiotopoulos on Wednesday. The two ministers agreed that a "
            "fourth bilateral meeting on confidence building measures should be held in Ankara as soon as possible.")
    ms = people(text, ("Hulusi Akar", "TR"), ("Nikos Panagiotopoulos", "GR")) + mentions(text, ("Greek", "NORP", "GR"),
                                                                                          ("Ankara", "GPE", "TR"))
    evs = extract_events(text, ms, date(2022, 3, 17))
    got = [(e.event_type, e.status, tuple(sorted({p.country_code for p in e.participants}))) for e in evs]
    assert got == [("meeting", "occurred", ("GR", "TR")), ("meeting", "planned", ("GR", "TR"))]
    assert evs[0].event_date == date(2022, 3, 16)


def test_my_colleague_in_a_quote_is_the_counterpart_of_the_earlier_contact():
    text = ("Rustem Umerov said he had a productive conversation with Władysław Kosiniak-Kamysz.\n"
            "“Invited my colleague to visit Kyiv,” Umerov said on Facebook.")
    ms = people(text, ("Rustem Umerov", "UA"), ("Władysław Kosiniak-Kamysz", "PL")) + mentions(text, ("Kyiv", "GPE", "UA"))
    assert dyads(extract_events(text, ms, None)) == [("call", ("PL", "UA")), ("invitation", ("PL", "UA"))]


def test_several_counterparts_as_well_as_with_are_separate_bilateral_calls():
    text = ("President Volodymyr Zelenskyy reported after a conversation with the Polish prime minister Donald Tusk, "
            "his British and Italian colleagues Keir Starmer and Giorgia Meloni, as well as with NATO secretary "
            "general Mark Rutte.")
    ms = people(text, ("Volodymyr Zelenskyy", "UA"), ("Donald Tusk", "PL"), ("Keir Starmer", "GB"),
                ("Giorgia Meloni", "IT"), ("Mark Rutte", "NATO"))
    assert dyads(extract_events(text, ms, None)) == [
        ("call", ("GB", "UA")), ("call", ("IT", "UA")), ("call", ("NATO", "UA")), ("call", ("PL", "UA"))]


def test_one_phone_call_with_two_prime_ministers_is_one_joint_call():
    text = ("President of Ukraine Volodymyr Zelensky had a phone call with the Prime Ministers of the Netherlands "
            "and Denmark, Mark Rutte and Mette Frederiksen.")
    ms = people(text, ("Volodymyr Zelensky", "UA"), ("Mark Rutte", "NL"), ("Mette Frederiksen", "DK"))
    evs = extract_events(text, ms, None)
    assert len(evs) == 1 and {p.country_code for p in evs[0].participants} == {"UA", "NL", "DK"}


def test_initiator_at_the_initiative_of_the_us_side():
    text = ("Russian Defense Minister Sergei Shoigu had a telephone conversation with US Secretary of Defense Mark Esper "
            "at the initiative of the US side.")
    ms = people(text, ("Sergei Shoigu", "RU"), ("Mark Esper", "US")) + mentions(text, ("US", "GPE", "US", None, 1))
    evs = extract_events(text, ms, None)
    assert len(evs) == 1
    init = [p.country_code for p in evs[0].participants if p.is_initiator]
    assert init == ["US"]


# ---------------------------------------------------------------- not events

def test_domestic_meeting_is_not_an_event():
    text = ("On the same day Kosiniak-Kamysz also met with the leadership of the Polish Special Forces Headquarters.")
    ms = people(text, ("Władysław Kosiniak-Kamysz", "PL")) + mentions(text, ("Polish", "NORP", "PL"))
    assert extract_events(text, ms, None) == []


def test_hoax_call_is_not_an_event():
    text = "Defence secretary Ben Wallace was angry over a hoax call from an imposter posing as the Ukrainian prime minister."
    ms = people(text, ("Ben Wallace", "GB")) + mentions(text, ("Ukrainian", "NORP", "UA"))
    assert extract_events(text, ms, None) == []


def test_statement_with_two_countries_is_not_an_event():
    text = "Defence Secretary Ben Wallace said Russia must not escalate the war in Ukraine."
    ms = people(text, ("Ben Wallace", "GB")) + mentions(text, ("Russia", "GPE", "RU"), ("Ukraine", "GPE", "UA"))
    assert extract_events(text, ms, None) == []


def test_related_links_headlines_are_not_events():
    text = ("Umerov reported on a talk with his Polish counterpart.\n"
            "MORE ABOUT\n"
            "Umerov and Hnatov to meet with USA side in Florida on Thursday\n"
            "16:56, 05.12.2025\n")
    ms = people(text, ("Rustem Umerov", "UA")) + mentions(text, ("USA", "GPE", "US"))
    assert extract_events(text, ms, None) == []


def test_drones_and_places_are_not_sides():
    text = ("Ukrainian Defence Minister Denys Shmyhal discussed Russian drones in Polish airspace with his staff in Kyiv.")
    ms = people(text, ("Denys Shmyhal", "UA")) + mentions(text, ("Russian", "NORP", "RU"), ("Polish", "NORP", "PL"),
                                                          ("Kyiv", "GPE", "UA"))
    assert extract_events(text, ms, None) == []


# ---------------------------------------------------------------- one event per contact

def test_headline_lead_and_quote_of_one_call_are_one_event():
    text = ("Austin, Reznikov discuss air defense in phone call\n"
            "U.S. Secretary of Defense Lloyd Austin held a phone call with Ukrainian Defense Minister Oleksii Reznikov on "
            "Monday.\n"
            "The two ministers discussed air defense and ammunition deliveries.\n"
            "“I had a good conversation with Lloyd Austin today,” Reznikov wrote.")
    ms = people(text, ("Lloyd Austin", "US"), ("Oleksii Reznikov", "UA"))
    evs = extract_events(text, ms, date(2022, 12, 6), title="Austin, Reznikov discuss air defense in phone call")
    assert dyads(evs) == [("call", ("UA", "US"))]
    e = evs[0]
    assert e.event_date == date(2022, 12, 5) and e.is_main
    assert e.evidence.startswith("U.S. Secretary of Defense Lloyd Austin held a phone call")
    assert "air_defense" in e.topics


def test_visit_and_separately_described_talks_give_visit_and_meeting():
    text = ("Lieutenant General Sadio Camara, Minister of Defense of Mali, arrived in Egypt on an official visit. "
            "Egyptian Defense Minister Abdel Majeed Saqr met with Sadio Camara to discuss regional security. "
            "At the conclusion of the visit, the two sides signed a memorandum of understanding.")
    ms = people(text, ("Sadio Camara", "ML"), ("Abdel Majeed Saqr", "EG")) + mentions(
        text, ("Mali", "GPE", "ML"), ("Egypt", "GPE", "EG"), ("Egyptian", "NORP", "EG"))
    assert dyads(extract_events(text, ms, None)) == [
        ("agreement", ("EG", "ML")), ("meeting", ("EG", "ML")), ("visit", ("EG", "ML"))]


def test_sentence_splitter_keeps_titles_and_unicode_names():
    text = "Adm. Renato Freire met Gen. Laura Richardson. The talks with Radu-Dinel Miruța. Then more."
    sents = [text[s.start:s.end] for s in split_sentences(text)]
    assert sents == ["Adm. Renato Freire met Gen. Laura Richardson.", "The talks with Radu-Dinel Miruța.", "Then more."]


def test_seed_articles_against_their_gold_dyads():
    """The seeds' gold (fixture copy) with mentions built from the gold persons and the country names in the text."""
    gold_path = ROOT / "defcomm_tests" / "fixtures" / "seeds_gold.jsonl"
    gold = {g["doc"]: g for g in map(json.loads, gold_path.read_text(encoding="utf-8").splitlines()) if g}
    g = gold["001_89fa92b31013e9c2.txt"]
    text = (ROOT / "seeds" / g["doc"]).read_text(encoding="utf-8")
    ms = people(text, *[(p["name"], p["country"]) for p in g["persons"]])
    evs = extract_events(text, ms, date.fromisoformat(g["published"]))
    got = {(e.event_type, tuple(sorted({p.country_code for p in e.participants}))) for e in evs}
    want = {(e["type"], tuple(sorted({p["country"] for p in e["participants"]}))) for e in g["events"]}
    assert got == want
    call = next(e for e in evs if e.event_type == "call" and e.event_date)
    assert call.event_date == date(2024, 1, 25)
    inv = next(e for e in evs if e.event_type == "invitation")
    assert inv.event_date == date(2024, 1, 25)  # extended during the call


def test_vague_negotiations_between_the_ministers_join_the_call_and_never_leak_an_internal_type():
    text = ("Defense Minister Rustem Umerov has said that he had a productive conversation with Władysław Kosiniak-Kamysz.\n"
            "In turn, the Polish Defense Ministry reported that the incident in Polish airspace was also the topic of "
            "negotiations between the ministers.")
    ms = people(text, ("Rustem Umerov", "UA"), ("Władysław Kosiniak-Kamysz", "PL")) + mentions(
        text, ("Polish Defense Ministry", "ORG", "PL"), ("Polish", "NORP", "PL", None, 1))
    evs = extract_events(text, ms, None)
    assert dyads(evs) == [("call", ("PL", "UA"))]
    assert evs[0].topics == ("airspace_incident",)


def test_every_seed_yields_only_closed_list_types_statuses_and_topics():
    from defcomm_assets.core.vocabulary import EVENT_STATUSES, EVENT_TYPES, TOPICS
    gold_path = ROOT / "defcomm_tests" / "fixtures" / "seeds_gold.jsonl"
    for g in map(json.loads, gold_path.read_text(encoding="utf-8").splitlines()):
        text = (ROOT / "seeds" / g["doc"]).read_text(encoding="utf-8")
        ms = people(text, *[(p["name"], p["country"]) for p in g["persons"]])
        for e in extract_events(text, ms, date.fromisoformat(g["published"]) if g["published"] else None):
            assert e.event_type in EVENT_TYPES and e.status in EVENT_STATUSES and set(e.topics) <= set(TOPICS)
            assert len({p.country_code for p in e.participants}) >= 2
            assert text[e.evidence_start:e.evidence_end] == e.evidence


def test_at_the_invitation_of_lists_the_inviter_first_and_the_invitation_occurred():
    text = ("Chinese Defense Minister Dong Jun will visit Russia next week at the invitation of Russian Defense Minister "
            "Andrei Belousov.")
    ms = people(text, ("Dong Jun", "CN"), ("Andrei Belousov", "RU")) + mentions(text, ("Russia", "GPE", "RU"))
    evs = {e.event_type: e for e in extract_events(text, ms, date(2025, 3, 8))}
    assert set(evs) == {"visit", "invitation"}
    assert evs["visit"].status == "planned" and evs["visit"].event_date is None  # "next week" names no day
    inv = evs["invitation"]
    assert inv.status == "occurred"
    assert inv.participants[0].name == "Andrei Belousov" and inv.participants[0].is_initiator


def test_talks_at_a_stated_venue_are_a_meeting_and_carry_the_location():
    text = "NATO Secretary General Mark Rutte held talks with Turkish President Recep Tayyip Erdogan in Ankara on Wednesday."
    ms = people(text, ("Mark Rutte", "NATO"), ("Recep Tayyip Erdogan", "TR")) + mentions(text, ("Ankara", "GPE", None))
    evs = extract_events(text, ms, date(2025, 3, 8))
    assert dyads(evs) == [("meeting", ("NATO", "TR"))]
    assert evs[0].location == "Ankara" and evs[0].event_date == date(2025, 3, 5)


def test_a_country_named_as_passive_agent_is_not_a_side():
    text = ("Romanian Defence Minister Gabriel Leș met Poland's ambassador Marcin Wilczek. The two officials discussed "
            "the battle group in Poland coordinated by the US.")
    ms = people(text, ("Gabriel Leș", "RO"), ("Marcin Wilczek", "PL")) + mentions(
        text, ("Poland", "GPE", "PL", None, 1), ("US", "GPE", "US"))
    assert dyads(extract_events(text, ms, None)) == [("meeting", ("PL", "RO"))]


def test_spoke_with_several_leaders_are_separate_calls_but_three_officials_in_one_teleconference_are_one():
    text = "President Volodymyr Zelensky spoke with Emmanuel Macron, Olaf Scholz and Giorgia Meloni on Friday."
    ms = people(text, ("Volodymyr Zelensky", "UA"), ("Emmanuel Macron", "FR"), ("Olaf Scholz", "DE"),
                ("Giorgia Meloni", "IT"))
    assert dyads(extract_events(text, ms, None)) == [("call", ("DE", "UA")), ("call", ("FR", "UA")), ("call", ("IT", "UA"))]
    text = ("Akihiro Tsuchimichi of Japan, David Helvey of the United States and Chung Suk Hwan of South Korea agreed in a "
            "teleconference on Wednesday to arrange ministerial talks.")
    ms = people(text, ("Akihiro Tsuchimichi", "JP"), ("David Helvey", "US"), ("Chung Suk Hwan", "KR"))
    evs = extract_events(text, ms, date(2020, 5, 13))
    assert len(evs) == 1 and evs[0].event_type == "call"
    assert {p.country_code for p in evs[0].participants} == {"JP", "US", "KR"}


def test_refused_or_proposed_talks_are_not_contacts():
    text = ("Moscow is not ready for talks with Kyiv, Russian Foreign Minister Sergei Lavrov said on Tuesday. "
            "Lavrov called for talks with Washington instead.")
    ms = people(text, ("Sergei Lavrov", "RU")) + mentions(text, ("Moscow", "GPE", "RU"), ("Kyiv", "GPE", "UA"),
                                                          ("Washington", "GPE", "US"))
    assert extract_events(text, ms, None) == []


def test_peace_talks_between_two_states_are_a_planned_negotiation():
    text = "The talks between Armenia and Azerbaijan on a peace treaty will resume in Washington next month."
    ms = mentions(text, ("Armenia", "GPE", "AM"), ("Azerbaijan", "GPE", "AZ"), ("Washington", "GPE", "US"))
    evs = extract_events(text, ms, None)
    assert [(e.event_type, e.status) for e in evs] == [("negotiation", "planned")]
    assert {p.country_code for p in evs[0].participants} == {"AM", "AZ"}
    assert evs[0].topics == ("peace_process",)


def test_todays_visit_refers_back_to_the_delegation_but_a_visit_of_others_does_not():
    text = ("Latvia's Defense Minister Andris Sprūds held talks with a delegation of the German Bundestag.\n"
            "“Today's visit confirms that we are close allies,” Sprūds stated.")
    ms = people(text, ("Andris Sprūds", "LV")) + mentions(text, ("Latvia", "GPE", "LV"), ("German", "NORP", "DE"))
    assert dyads(extract_events(text, ms, date(2026, 2, 3))) == [("meeting", ("DE", "LV")), ("visit", ("DE", "LV"))]
    text = ("Volodymyr Zelensky had a phone call with Prime Minister of the Netherlands Mark Rutte.\n"
            "“I also spoke about the results of the visit of African leaders to Kyiv,” Zelensky added.")
    ms = people(text, ("Volodymyr Zelensky", "UA"), ("Mark Rutte", "NL")) + mentions(text, ("Kyiv", "GPE", "UA"))
    assert dyads(extract_events(text, ms, None)) == [("call", ("NL", "UA"))]


def test_due_to_visit_on_thursday_is_a_planned_visit_on_the_coming_thursday():
    text = "French President Emmanuel Macron is due to visit Poland on Thursday, where he will meet President Andrzej Duda."
    ms = people(text, ("Emmanuel Macron", "FR"), ("Andrzej Duda", "PL")) + mentions(text, ("Poland", "GPE", "PL"))
    evs = {e.event_type: e for e in extract_events(text, ms, date(2025, 3, 8))}
    assert (evs["visit"].status, evs["visit"].event_date) == ("planned", date(2025, 3, 13))
    assert [p.country_code for p in evs["visit"].participants] == ["FR", "PL"]
    assert evs["meeting"].status == "planned"


def test_a_visit_discussed_at_a_meeting_is_planned_but_talks_during_the_visit_are_not():
    text = ("Romanian Defence Minister Gabriel Leș met Poland's ambassador Marcin Wilczek on Friday. Also discussed at the "
            "meeting were an official visit to Romania by Poland's defence minister this spring.")
    ms = people(text, ("Gabriel Leș", "RO"), ("Marcin Wilczek", "PL")) + mentions(
        text, ("Romania", "GPE", "RO", None, 1), ("Poland", "GPE", "PL", None, 1))
    got = {(e.event_type, e.status) for e in extract_events(text, ms, None)}
    assert got == {("meeting", "occurred"), ("visit", "planned")}
    text = ("German Defence Minister Boris Pistorius arrived in Lithuania on a visit. They discussed air defence during "
            "the visit with Lithuanian Defence Minister Dovilė Šakalienė.")
    ms = people(text, ("Boris Pistorius", "DE"), ("Dovilė Šakalienė", "LT")) + mentions(text, ("Lithuania", "GPE", "LT"))
    assert {(e.event_type, e.status) for e in extract_events(text, ms, None)} == {("visit", "occurred")}


def test_trade_talks_between_states_are_not_defence_contacts():
    text = "The United States and China held trade talks in Geneva on tariffs and rare earth exports."
    ms = mentions(text, ("United States", "GPE", "US"), ("China", "GPE", "CN"), ("Geneva", "GPE", "CH"))
    assert extract_events(text, ms, None) == []


def test_a_call_with_a_civil_un_agency_head_without_security_matter_is_not_an_event():
    text = "President Volodymyr Zelensky earlier had a phone call with President of the World Bank Ajay Banga."
    ms = people(text, ("Volodymyr Zelensky", "UA"), ("Ajay Banga", "UN"))
    assert extract_events(text, ms, None) == []
    text = "President Volodymyr Zelensky had a phone call with UN Secretary-General António Guterres about the ceasefire."
    ms = people(text, ("Volodymyr Zelensky", "UA"), ("António Guterres", "UN"))
    assert dyads(extract_events(text, ms, None)) == [("call", ("UA", "UN"))]


def test_a_future_in_a_quote_before_the_report_does_not_make_the_contact_planned():
    text = ("“We will continue to support Ukraine,” US Secretary of Defense Lloyd Austin said after meeting Ukrainian "
            "Defence Minister Rustem Umerov in Brussels.")
    ms = people(text, ("Lloyd Austin", "US"), ("Rustem Umerov", "UA"))
    assert [(e.event_type, e.status) for e in extract_events(text, ms, None)] == [("meeting", "occurred")]


def test_purpose_infinitive_after_a_future_visit_is_a_planned_meeting():
    text = ("On 3-6 March, Lithuanian Defence Minister Arvydas Anušauskas will pay an official visit to Washington, D.C., "
            "to meet with US Secretary of Defence Lloyd Austin.")
    ms = people(text, ("Arvydas Anušauskas", "LT"), ("Lloyd Austin", "US")) + mentions(text, ("Washington", "GPE", "US"))
    evs = {e.event_type: e for e in extract_events(text, ms, date(2024, 3, 3))}
    assert evs["visit"].status == "planned" and evs["meeting"].status == "planned"
    assert evs["visit"].event_date == date(2024, 3, 3)


def test_the_named_head_of_a_delegation_replaces_the_country_side():
    text = ("South Korea and the United States will hold their third round of cost sharing negotiations in Washington "
            "next week. The South Korean delegation is led by Lee Tae-woo.")
    ms = mentions(text, ("South Korea", "GPE", "KR"), ("United States", "GPE", "US"), ("Washington", "GPE", "US"),
                  ("South Korean", "NORP", "KR")) + people(text, ("Lee Tae-woo", "KR"))
    evs = extract_events(text, ms, date(2024, 6, 8))
    assert [(e.event_type, e.status) for e in evs] == [("negotiation", "planned")]
    assert {(p.name, p.country_code) for p in evs[0].participants} == {("Lee Tae-woo", "KR"), ("United States", "US")}


def test_will_receive_his_colleague_tomorrow_is_a_planned_meeting_and_receiving_weapons_is_not():
    text = "Minister Guido Crosetto will receive his Japanese colleague Minoru Kihara tomorrow in Rome."
    ms = people(text, ("Guido Crosetto", "IT"), ("Minoru Kihara", "JP")) + mentions(text, ("Rome", "GPE", "IT"))
    evs = extract_events(text, ms, date(2025, 3, 8))
    assert [(e.event_type, e.status, e.event_date) for e in evs] == [("meeting", "planned", date(2025, 3, 9))]
    text = "Ukraine will receive the first F-16 jets from Denmark next month, Defence Minister Rustem Umerov said."
    ms = people(text, ("Rustem Umerov", "UA")) + mentions(text, ("Ukraine", "GPE", "UA"), ("Denmark", "GPE", "DK"))
    assert extract_events(text, ms, None) == []


def test_every_alternative_of_every_trigger_gets_through_its_gate():
    """The substring gates only decide which trigger patterns are run: every alternative of a pattern, written out
    on its own, must open its gate (a gate narrower than its pattern silently drops contacts)."""
    missed = []
    for t in TRIGGERS:
        missed += [(t.etype, t.rule, ex) for ex in gate_misses(t.pattern, lambda x, t=t: t.rx.search(x) is not None,
                                                               lambda low, t=t: t in TRIGGER_GATE.open(low))]
    for name, screen in (("not_contact", NOT_CONTACT), ("joined", JOINED)):
        missed += [(name, ex) for ex in gate_misses(screen.rx.pattern,
                                                    lambda x, screen=screen: screen.rx.search(x) is not None,
                                                    screen.opens)]
    assert missed == []


def test_a_trigger_whose_anchors_miss_an_alternative_is_caught():
    broken = Trigger("meeting", "meet", r"\bmet\b|\bconvened\b", ("met",))
    gate = RecordGate([broken])
    assert gate_misses(broken.pattern, lambda x: broken.rx.search(x) is not None,
                       lambda low: broken in gate.open(low)) == ["convened"]
    screen = GatedPattern(r"\b(?:hoax|prank)\b", ("hoax",))
    assert gate_misses(screen.rx.pattern, lambda x: screen.rx.search(x) is not None, screen.opens) == ["prank"]


def test_one_pass_over_the_gates_answers_as_each_gate():
    from defcomm_assets.stages.events.rules import _GATES
    from defcomm_assets.stages.events.topics import TOPIC_GATE
    from defcomm_assets.stages.events.triggers import SCREEN_GATE

    for text in ("They held a phone call on air defence and the Black Sea.", "Also present at the meeting was a hoax.",
                 "Nothing here.", "The ministers met; drones, NATO allies and the peace process were discussed."):
        low = text.lower()
        assert _GATES.open(low) == (TRIGGER_GATE.open(low), SCREEN_GATE.open(low), TOPIC_GATE.open(low))


# ---------------------------------------------------------------- gatherings named over several sentences

def test_participants_named_after_the_gathering_join_it():
    text = ("Defence Minister Marta Kolar took part in the meeting of the contact group held in Brussels on 15 October. "
            "The meeting was co-chaired by British Defence Secretary Tom Hale and German Defence Minister Jan Roth. "
            "Norwegian Defence Minister Erik Dahl also took part.")
    ms = people(text, ("Marta Kolar", "UA"), ("Tom Hale", "GB"), ("Jan Roth", "DE"), ("Erik Dahl", "NO"))
    evs = extract_events(text, ms, date(2025, 10, 16))
    assert dyads(evs) == [("meeting", ("DE", "GB", "NO", "UA"))]  # one gathering, not three meetings
    e = evs[0]
    assert e.event_date == date(2025, 10, 15)
    assert e.evidence.startswith("Defence Minister Marta Kolar took part")


def test_video_conference_of_ministers_listed_in_the_next_sentence():
    text = ("The Nordic defence ministers held a video conference on Thursday. Minister of Defence Aino Lehto chaired "
            "the meeting. Participating in the conference were Minister for Defence of Sweden Per Berg and Minister "
            "of Defence of Norway Ola Lie.")
    ms = people(text, ("Aino Lehto", "FI"), ("Per Berg", "SE"), ("Ola Lie", "NO"))
    evs = extract_events(text, ms, date(2024, 6, 28))
    assert dyads(evs) == [("video_call", ("FI", "NO", "SE"))]
    assert evs[0].event_date == date(2024, 6, 27)


def test_a_new_meeting_with_someone_is_not_a_joiner():
    text = ("Minister Marta Kolar met German Defence Minister Jan Roth in Berlin on Monday. "
            "Kolar also attended a meeting with Norwegian Defence Minister Erik Dahl.")
    ms = people(text, ("Marta Kolar", "UA"), ("Jan Roth", "DE"), ("Erik Dahl", "NO"))
    evs = extract_events(text, ms, date(2025, 10, 16))
    assert dyads(evs) == [("meeting", ("DE", "UA")), ("meeting", ("NO", "UA"))]


def test_troops_of_a_nation_are_not_a_side_of_the_visit():
    text = ("British Defence Secretary Tom Hale visited Estonia on Monday and met Estonian Defence Minister Mart Kask. "
            "During the two-day visit, the Defence Secretary travelled to Tapa Camp, where he watched soldiers train "
            "alongside Estonian and French troops.")
    ms = people(text, ("Tom Hale", "GB"), ("Mart Kask", "EE")) + mentions(
        text, ("Estonia", "GPE", "EE"), ("Estonian", "NORP", "EE", "Estonia", 1), ("French", "NORP", "FR", "France"))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 11, 4))
    assert all("FR" not in {p.country_code for p in e.participants} for e in evs), dyads(evs)
    assert ("meeting", ("EE", "GB")) in dyads(evs)


def test_joint_statement_of_the_four_ministers_is_their_agreement():
    text = ("US Defense Secretary Tom Hale, Japanese Defense Minister Ken Mori, Australian Defence Minister Ben Marsh "
            "and Philippine Defense Secretary Jose Cruz held a meeting in Singapore on Saturday. "
            "In a joint statement issued after the talks, the four ministers expressed serious concern about the "
            "situation in the South China Sea.")
    ms = people(text, ("Tom Hale", "US"), ("Ken Mori", "JP"), ("Ben Marsh", "AU"), ("Jose Cruz", "PH"))
    evs = extract_events(text, ms, date(2025, 5, 31))
    assert ("agreement", ("AU", "JP", "PH", "US")) in dyads(evs), dyads(evs)
    assert ("meeting", ("AU", "JP", "PH", "US")) in dyads(evs)


@pytest.mark.parametrize("sentence", [
    "The Secretary welcomed Japan's steps to strengthen its defense capabilities, Minister Ken Mori said.",
    "Secretary Tom Hale and Minister Ken Mori committed to continue trilateral cooperation with Australia.",
    ("Secretary Tom Hale and Minister Ken Mori strongly welcome Japan and Australia’s applications to join the "
     "coalition."),
])
def test_welcoming_a_step_and_trilateral_cooperation_are_not_contacts(sentence):
    ms = people(sentence, ("Tom Hale", "US"), ("Ken Mori", "JP")) + mentions(
        sentence, *[(w, "GPE", cc) for w, cc in (("Japan", "JP"), ("Australia", "AU")) if w in sentence])
    assert extract_events(sentence, sorted(ms, key=lambda m: m.start_char), None) == []


def test_welcoming_a_minister_to_a_country_is_still_a_visit():
    text = "Minister Ken Mori welcomed US Defense Secretary Tom Hale to Tokyo on Monday."
    ms = people(text, ("Tom Hale", "US"), ("Ken Mori", "JP")) + mentions(text, ("Tokyo", "GPE", "JP"))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 2, 14))
    assert ("visit", ("JP", "US")) in dyads(evs)


def test_talks_held_at_a_named_place_are_a_meeting():
    text = ("Defence Cabinet Secretary Ann Wanjiru on Thursday held talks with the Minister of Defence of Somalia "
            "Ali Nur at Ulinzi House.")
    ms = people(text, ("Ann Wanjiru", "KE"), ("Ali Nur", "SO"))
    assert dyads(extract_events(text, ms, date(2024, 9, 5))) == [("meeting", ("KE", "SO"))]
    text = "Minister Ann Wanjiru held talks with Minister Ali Nur on Thursday."
    ms = people(text, ("Ann Wanjiru", "KE"), ("Ali Nur", "SO"))
    assert dyads(extract_events(text, ms, date(2024, 9, 5))) == [("call", ("KE", "SO"))]  # no place, no travel


# ---------------------------------------------------------------- a gathering whose sides are listed after a dash

def test_counterparts_from_listed_nations_are_one_meeting_with_the_traveller():
    text = ("Defence Minister Tom Hale travelled to Riga on Tuesday to meet counterparts from the other four nations – "
            "Estonia, Lithuania, Poland and Finland.")
    ms = people(text, ("Tom Hale", "GB")) + mentions(
        text, ("Riga", "GPE", "LV"), ("Estonia", "GPE", "EE"), ("Lithuania", "GPE", "LT"), ("Poland", "GPE", "PL"),
        ("Finland", "GPE", "FI"))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 5, 16))
    assert ("meeting", ("EE", "FI", "GB", "LT", "PL")) in dyads(evs), dyads(evs)  # one gathering, the traveller in it
    assert ("visit", ("GB", "LV")) in dyads(evs)


def test_countries_named_as_places_are_still_not_sides():
    text = ("Defence Minister Tom Hale met his Latvian counterpart Anna Berzina on Tuesday to discuss drones made "
            "in Iran.")
    ms = people(text, ("Tom Hale", "GB"), ("Anna Berzina", "LV")) + mentions(text, ("Iran", "GPE", "IR"))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 5, 16))
    assert dyads(evs) == [("meeting", ("GB", "LV"))]


# ---------------------------------------------------------------- call words with adjectives and possessives

@pytest.mark.parametrize("sentence", [
    "On March 3, Defense Secretary Tom Hale had a constructive introductory call with Minister of Security Ana Ruiz.",
    "Defense Secretary Tom Hale held his first call as secretary with Minister of Security Ana Ruiz on March 3.",
])
def test_a_call_with_adjectives_or_a_possessive_is_a_call(sentence):
    ms = people(sentence, ("Tom Hale", "US"), ("Ana Ruiz", "PA"))
    assert dyads(extract_events(sentence, ms, date(2025, 3, 5))) == [("call", ("PA", "US"))]


def test_a_video_teleconference_is_a_video_call():
    text = "General Tom Hale held a call with General Marc Dupont today by video teleconference."
    ms = people(text, ("Tom Hale", "US"), ("Marc Dupont", "FR"))
    assert dyads(extract_events(text, ms, date(2025, 3, 5))) == [("video_call", ("FR", "US"))]


def test_a_courtesy_call_is_a_meeting_not_a_phone_call():
    text = ("Defense Secretary Tom Hale received the formal courtesy call of Ambassador Ana Ruiz at his office on "
            "Monday.")
    ms = people(text, ("Tom Hale", "US"), ("Ana Ruiz", "PA"))
    assert dyads(extract_events(text, ms, date(2025, 3, 5))) == [("meeting", ("PA", "US"))]


def test_a_wake_up_call_is_not_a_call():
    text = "Defense Secretary Tom Hale said the attack was a wake-up call, Minister Ana Ruiz told reporters."
    ms = people(text, ("Tom Hale", "US"), ("Ana Ruiz", "PA"))
    assert extract_events(text, ms, date(2025, 3, 5)) == []


# ---------------------------------------------------------------- regional organisations as sides

def test_a_regional_organisation_official_is_a_side_but_a_gathering_named_after_it_is_not():
    text = ("Defence Minister Ana Ruiz held talks with ECOWAS Commissioner Musa Bello in Abuja on Monday, on the "
            "sidelines of the ECOWAS Defence Chiefs' Meeting.")
    ms = sorted(people(text, ("Ana Ruiz", "GH"), ("Musa Bello", "ECOWAS")) + mentions(
        text, ("ECOWAS", "ORG", "ECOWAS"), ("Abuja", "GPE", "NG"), ("ECOWAS", "ORG", "ECOWAS", None, 1)),
        key=lambda m: m.start_char)
    assert dyads(extract_events(text, ms, date(2024, 8, 7))) == [("meeting", ("ECOWAS", "GH"))]
    text = "Defence Minister Ana Ruiz attended the ASEAN Defence Ministers' Meeting in Vientiane on Wednesday."
    ms = people(text, ("Ana Ruiz", "IN")) + mentions(text, ("ASEAN", "ORG", "ASEAN"), ("Vientiane", "GPE", "LA"))
    assert extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 11, 20)) == []


def test_australia_is_a_state_not_the_african_union():
    text = "The defence chiefs of Japan, Australia and the Philippines met on Saturday in Singapore."
    ms = mentions(text, ("Japan", "GPE", "JP"), ("Australia", "GPE", "AU"), ("Philippines", "GPE", "PH"),
                  ("Singapore", "GPE", "SG"))
    assert dyads(extract_events(text, ms, date(2025, 5, 31))) == [("meeting", ("AU", "JP", "PH"))]


def test_regional_organisations_are_in_the_gazetteer():
    from defcomm_assets.core.vocabulary import ORGANISATION_CODES
    from defcomm_assets.stages.entities.gazetteers import place_index
    idx = place_index()
    for name, code in (("ASEAN", "ASEAN"), ("Economic Community of West African States", "ECOWAS"),
                       ("Collective Security Treaty Organization", "CSTO"),
                       ("Shanghai Cooperation Organisation", "SCO"), ("EU Military Committee", "EU")):
        assert idx[name].code == code and idx[name].label == "ORG"
        assert code in ORGANISATION_CODES
    assert "AU" not in ORGANISATION_CODES  # Australia


# ---------------------------------------------------------------- bilaterals with counterparts from listed countries

def test_bilateral_meetings_with_counterparts_from_listed_countries_are_separate_bilaterals():
    text = ("Hanoi (VNA) – Defence Minister Van Long held bilateral meetings with his counterparts from Brazil, Kenya "
            "and Norway on the sidelines of the forum in Hanoi on Monday.")
    ms = people(text, ("Van Long", "VN")) + mentions(
        text, ("Hanoi", "GPE", "VN"), ("Brazil", "GPE", "BR"), ("Kenya", "GPE", "KE"), ("Norway", "GPE", "NO"),
        ("Hanoi", "GPE", "VN", None, 1))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 6, 4))
    assert dyads(evs) == [("meeting", ("BR", "VN")), ("meeting", ("KE", "VN")), ("meeting", ("NO", "VN"))]


def test_the_dateline_place_is_not_a_side():
    text = "Jakarta (ANTARA) – Defence Minister Van Long met the Norwegian delegation in Oslo on Monday."
    ms = people(text, ("Van Long", "VN")) + mentions(
        text, ("Jakarta", "GPE", "ID"), ("Norwegian", "NORP", "NO", "Norway"), ("Oslo", "GPE", "NO"))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 6, 4))
    assert dyads(evs) == [("meeting", ("NO", "VN"))]


# ---------------------------------------------------------------- status of planned visits and receptions

def test_a_visit_in_the_prepositional_phrase_of_a_scheduled_meeting_is_planned():
    text = ("Defence Minister Ali Rezai is scheduled to meet his Serbian counterpart Marko Ilic and tour an arms fair "
            "during a visit to Belgrade. Rezai's visit to Belgrade is aimed at expanding defence ties.")
    ms = people(text, ("Ali Rezai", "IR"), ("Marko Ilic", "RS")) + mentions(
        text, ("Belgrade", "GPE", "RS"), ("Belgrade", "GPE", "RS", None, 1))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 6, 4))
    assert sorted((e.event_type, e.status) for e in evs) == [("meeting", "planned"), ("visit", "planned")]


def test_a_future_passive_reception_is_planned():
    text = "Defence Minister Ali Rezai will first be received by Serbian President Marko Ilic at the palace."
    ms = people(text, ("Ali Rezai", "IR"), ("Marko Ilic", "RS"))
    evs = extract_events(text, ms, date(2024, 6, 4))
    assert [(e.event_type, e.status) for e in evs] == [("meeting", "planned")]


def test_a_visit_that_would_strengthen_relations_is_not_thereby_planned():
    text = ("Defence Minister Ali Rezai met Defence Minister Marko Ilic in Tehran on Monday. "
            "Rezai said that Ilic's visit would further strengthen the relations.")
    ms = people(text, ("Ali Rezai", "IR"), ("Marko Ilic", "RS")) + mentions(text, ("Tehran", "GPE", "IR"))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 6, 4))
    assert {e.status for e in evs} == {"occurred"}, [(e.event_type, e.status) for e in evs]


# ---------------------------------------------------------------- "at the invitation of X" frames the visit

@pytest.mark.parametrize("text", [
    "Minister Ana Ruiz is in Lima for an official visit to Peru from Oct. 16 to 20 at the invitation of Tom Hale.",
    "At the invitation of Tom Hale, Minister Ana Ruiz paid an official visit to Peru on Monday.",
])
def test_a_visit_at_the_invitation_of_its_host_is_one_visit(text):
    ms = people(text, ("Ana Ruiz", "CL"), ("Tom Hale", "PE")) + mentions(
        text, *[(w, "GPE", "PE") for w in ("Lima", "Peru") if w in text])
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 10, 18))
    assert [(e.event_type, e.status) for e in evs] == [("visit", "occurred")], [(e.event_type, e.status) for e in evs]


def test_a_planned_visit_at_the_invitation_of_its_host_keeps_the_invitation():
    text = "Minister Ana Ruiz will visit Peru on October 16-20 at the invitation of Minister Tom Hale, his office said."
    ms = people(text, ("Ana Ruiz", "CL"), ("Tom Hale", "PE")) + mentions(text, ("Peru", "GPE", "PE"))
    evs = extract_events(text, sorted(ms, key=lambda m: m.start_char), date(2024, 10, 1))
    assert sorted((e.event_type, e.status) for e in evs) == [("invitation", "occurred"), ("visit", "planned")]
    inv = next(e for e in evs if e.event_type == "invitation")
    assert inv.participants[0].country_code == "PE"  # the inviter first
