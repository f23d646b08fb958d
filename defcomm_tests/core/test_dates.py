"""find_dates: explicit dates in running text, never a guessed year."""
from __future__ import annotations

from datetime import date

import pytest

from defcomm_assets.core.dates import find_dates


def _one(text):
    ms = find_dates(text)
    assert len(ms) == 1, ms
    m = ms[0]
    assert text[m.start:m.end] == m.text
    return m


@pytest.mark.parametrize(
    "text, expected, matched",
    [
        ("The ministers met on 25 January 2024 in Kyiv.", date(2024, 1, 25), "25 January 2024"),
        ("signed on the 25th of January, 2024 in Kyiv", date(2024, 1, 25), "25th of January, 2024"),
        ("Talks were held on January 25, 2024, the ministry said.", date(2024, 1, 25), "January 25, 2024"),
        ("Jan. 5 2023 was a Thursday", date(2023, 1, 5), "Jan. 5 2023"),
        ("Tuesday, May 13, 2025", date(2025, 5, 13), "May 13, 2025"),
        ("posted 2024-01-25 by the ministry", date(2024, 1, 25), "2024-01-25"),
        ("posted 2024/01/25 by the ministry", date(2024, 1, 25), "2024/01/25"),
        ("2024.09.13 10:15", date(2024, 9, 13), "2024.09.13"),
        ("Press release - 2024.9.3", date(2024, 9, 3), "2024.9.3"),  # unpadded, after punctuation
        ("2024.11.5 | Defence news", date(2024, 11, 5), "2024.11.5"),
        ("16:56, 05.12.2025", date(2025, 12, 5), "05.12.2025"),  # day first
        ("03.14.2023", date(2023, 3, 14), "03.14.2023"),  # month first only because 14 cannot be a month
        ("Friday 18 March 2022 10:11 GMT", date(2022, 3, 18), "18 March 2022"),
        ("23 Oct 2022 6:55 PM", date(2022, 10, 23), "23 Oct 2022"),
        ("WASHINGTON (June 8, 2024) -- The two", date(2024, 6, 8), "June 8, 2024"),
    ],
)
def test_dates_with_a_year(text, expected, matched):
    m = _one(text)
    assert m.date == expected
    assert m.year_stated is True
    assert m.text == matched
    assert (m.month, m.day) == (expected.month, expected.day)


@pytest.mark.parametrize(
    "text, month, day",
    [
        ("On 25 January, the two generals spoke by phone.", 1, 25),
        ("KYIV, October 7. The ministry said", 10, 7),
        ("The visit on 3-6 March will include talks.", 3, 3),  # a range: its first day
        ("an official visit to Vietnam from 1 to 4 October", 10, 1),
        ("They will meet on March 24th in Riyadh.", 3, 24),
    ],
)
def test_dates_without_a_year_are_not_guessed(text, month, day):
    m = _one(text)
    assert m.date is None
    assert m.year_stated is False
    assert (m.month, m.day) == (month, day)


@pytest.mark.parametrize(
    "text",
    [
        "Since 1991, Seoul has shared the cost.",
        "In March 2022 the army withdrew.",  # month and year, no day
        "They may 5 times have tried.",  # the verb "may"
        "Troops will march 10 kilometres.",
        "30 February 2024",  # impossible date
        "at 16:56 the sirens sounded",
        "a 25-year plan",
        "version 2024.1.15 of the software",  # dotted year-first unpadded only after punctuation
        "release 2023.4.24 fixes the bug",
        "",
    ],
)
def test_non_dates(text):
    assert find_dates(text) == []


def test_several_dates_in_order_and_non_overlapping():
    text = "Between 12 July 2023 in Vilnius and 2024-01-25, and again on March 3, they met."
    ms = find_dates(text)
    assert [m.text for m in ms] == ["12 July 2023", "2024-01-25", "March 3"]
    assert [m.date for m in ms] == [date(2023, 7, 12), date(2024, 1, 25), None]
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))


def test_february_29_without_a_year_is_possible():
    m = _one("on 29 February the talks resumed")
    assert (m.month, m.day, m.date) == (2, 29, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Опубликовано: 5 марта 2024, 14:30", date(2024, 3, 5)),
        ("5 березня 2024 року", date(2024, 3, 5)),
        ("5 marca 2024 r.", date(2024, 3, 5)),
        ("Berlin, 5. März 2024", date(2024, 3, 5)),
        ("le 5 mars 2024", date(2024, 3, 5)),
        ("el 5 de marzo de 2024", date(2024, 3, 5)),
        ("Ankara, 12 Kasım 2024", date(2024, 11, 12)),
    ],
)
def test_day_month_year_in_other_press_languages(text, expected):
    assert _one(text).date == expected


def test_foreign_month_words_in_english_text_need_a_year():
    assert find_dates("he bought 5 mars bars and 2 mai tais") == []
    assert _one("В конце встречи 25 ноября министры").date is None  # non-English, no year: month/day only


def test_a_month_word_whose_lower_case_grows_a_combining_dot_is_still_a_month():
    # "İ".lower() is "i" + U+0307: the case-insensitive regex matches "MAİ", the month table has "mai"
    (match,) = find_dates("Toplantı 5 MAİ 2024 tarihinde yapıldı")
    assert match.date == date(2024, 5, 5)


def test_day_first_ranges_are_marked_as_spans():
    assert [m.span for m in find_dates("from 1 to 4 October, on 3-6 March and on 25 January 2024")] == [True, True, False]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2019年3月5日", date(2019, 3, 5)),
        ("平成30年1月9日、防衛大臣会談", date(2018, 1, 9)),  # Japanese era year: Heisei 30
        ("令和元年5月1日", date(2019, 5, 1)),  # the first year of an era
        ("2024년 3월 5일", date(2024, 3, 5)),
    ],
)
def test_cjk_dates(text, expected):
    m = find_dates(text)[0]
    assert m.date == expected and m.year_stated


def test_cjk_month_day_without_a_year_is_not_guessed():
    m = _one("国防部长于3月5日举行会谈")
    assert m.date is None and (m.month, m.day) == (3, 5)


@pytest.mark.parametrize("text, expected", [
    ("Lyon, 3 fév 2021 (AFP) - Le ministre", date(2021, 2, 3)),
    ("publié le 5 janv. 2022 à Paris", date(2022, 1, 5)),
    ("Madrid, 12 dic 2019 (EFE) -", date(2019, 12, 12)),
    ("Roma, 7 lug. 2018", date(2018, 7, 7)),
])
def test_short_month_names_of_wire_datelines(text, expected):
    assert [m.date for m in find_dates(text)] == [expected]
