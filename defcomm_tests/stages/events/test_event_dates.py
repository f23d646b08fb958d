from datetime import date

from defcomm_assets.stages.events.event_dates import event_date, explicit_dates


def test_friday_in_an_article_published_on_saturday_is_the_day_before():
    s = "Umerov said he spoke with his counterpart on Friday."
    assert event_date(s, s.find("spoke"), date(2025, 12, 6)) == (date(2025, 12, 5), "relative")


def test_weekday_equal_to_publication_weekday_is_that_day():
    s = "Defence Minister Rajnath Singh interacted with his Malaysian counterpart virtually on Monday."
    assert event_date(s, 30, date(2022, 6, 27)) == (date(2022, 6, 27), "relative")


def test_weekday_without_publication_date_is_null():
    s = "Gen. Milley spoke by telephone with Gen. Gerasimov on Thursday."
    assert event_date(s, 20, None) == (None, None)


def test_planned_weekday_next_week_is_in_the_future():
    s = "The two sides will have the negotiations from Monday through Wednesday next week."
    assert event_date(s, s.find("negotiations"), date(2024, 6, 8), planned=True) == (date(2024, 6, 10), "relative")


def test_explicit_date_without_year_takes_the_publication_year():
    s = "On June 17, External Affairs Minister S Jaishankar had held talks with his Malaysian counterpart."
    assert event_date(s, s.find("talks"), date(2022, 6, 27)) == (date(2022, 6, 17), "explicit")


def test_explicit_date_without_year_and_no_publication_date_is_null():
    s = "On 25 August, Minister for Defence Peter Hultqvist will travel to Finland."
    assert event_date(s, s.find("travel"), None, planned=True) == (None, None)


def test_explicit_full_date_and_day_ranges():
    hits = explicit_dates("On October 7, 2019, and again on 3-6 March 2024.", None)
    assert [h.value for h in hits] == [date(2019, 10, 7), date(2024, 3, 3)]


def test_today_and_tomorrow_resolve_against_publication():
    s = "Carter will tomorrow sign a framework agreement."
    assert event_date(s, s.find("sign"), date(2015, 6, 2), planned=True) == (date(2015, 6, 3), "relative")
    s = "Carter arrived in the country today on a three-day visit."
    assert event_date(s, s.find("visit"), date(2015, 6, 2)) == (date(2015, 6, 2), "relative")


def test_reference_dates_after_since_are_not_the_event_day():
    s = "This is their first conversation since the start of the invasion on February 24."
    assert event_date(s, s.find("conversation"), date(2022, 5, 20)) == (None, None)


def test_statement_weekday_is_not_the_event_day():
    s = "South Korea and the United States will hold talks in Washington next week, the chief US negotiator said Friday."
    assert event_date(s, s.find("talks"), date(2024, 6, 8), planned=True) == (None, None)


def test_context_date_from_the_paragraph_lead():
    s = "Upon his arrival, the minister met with US Secretary of Defense Lloyd Austin."
    ctx = "Day of meetings for defense minister Guido Crosetto today and tomorrow in Brussels."
    assert event_date(s, s.find("met"), date(2023, 2, 14), context=ctx) == (date(2023, 2, 14), "context")


def test_a_date_range_dates_the_visit_and_the_day_dates_the_talks():
    s = ("On the afternoon of October 2, at the ministry in Hanoi, General Giang, Minister of National Defence, held "
         "talks with General Chanyalath, Minister of National Defence of Laos, who leads the military delegation "
         "of Laos on an official visit to Vietnam from 1 to 4 October.")
    pub = date(2024, 10, 2)
    assert event_date(s, s.index("talks with"), pub) == (date(2024, 10, 2), "explicit")
    assert event_date(s, s.index("visit to"), pub) == (date(2024, 10, 1), "explicit")


def test_a_dateline_date_gives_way_to_the_day_the_sentence_states():
    s = "VILNIUS, 21 May 2024 – The Lithuanian and Polish defence ministers held a phone call on Monday, 20 May."
    assert event_date(s, s.find("held"), date(2024, 5, 21)) == (date(2024, 5, 20), "explicit")
    s = "RIGA, March 8, 2023 -- The army chiefs of Latvia and Estonia met on Tuesday in Riga."
    assert event_date(s, s.find("met"), date(2023, 3, 8)) == (date(2023, 3, 7), "relative")


def test_a_dateline_date_alone_still_dates_the_event():
    s = "Warsaw [Poland], June 3 (Example): The ministers of Poland and Norway signed the agreement."
    assert event_date(s, s.find("signed"), date(2024, 6, 3)) == (date(2024, 6, 3), "explicit")


def test_the_paragraph_lead_gives_its_stated_day_not_its_dateline():
    lead = "TALLINN, October 12, 2022 – The Estonian minister held talks with three counterparts in Brussels on Wednesday."
    s = "He also discussed air policing with the Finnish minister."
    assert event_date(s, s.find("discussed"), date(2022, 10, 12), context=lead) == (date(2022, 10, 12), "context")
    lead = lead.replace("on Wednesday", "on Tuesday")
    assert event_date(s, s.find("discussed"), date(2022, 10, 12), context=lead) == (date(2022, 10, 11), "context")


def test_a_weekday_followed_by_its_full_date_is_that_date():
    for s in ("The ministers spoke by phone on Tuesday (4 March) about drones.",
              "The ministers spoke by phone on Tuesday, March 4, about drones."):
        # a week after publication on a Tuesday the weekday alone would resolve to 11 March
        assert event_date(s, s.find("spoke"), date(2025, 3, 11)) == (date(2025, 3, 4), "explicit")
