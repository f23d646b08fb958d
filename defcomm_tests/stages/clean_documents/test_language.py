"""detect_language: ISO 639-1 codes, offline."""
from __future__ import annotations

import pytest

from defcomm_assets.stages.clean_documents.language import detect_language, english_ratio

EN = ("The Minister of Defence said on Monday that the talks with his Polish counterpart were productive "
      "and that both sides agreed to continue their cooperation in the field of air defence.")


@pytest.mark.parametrize(
    "text, code",
    [
        (EN, "en"),
        ("Milli Savunma Bakanı, bugün Ankara'da Polonya Savunma Bakanı ile bir araya geldi. Görüşmede iki ülke "
         "arasındaki askeri iş birliği ve bölgesel güvenlik konuları ele alındı.", "tr"),
        ("Министр обороны провёл телефонный разговор с польским коллегой. Стороны обсудили ситуацию в регионе "
         "и вопросы двустороннего военного сотрудничества.", "ru"),
        ("Der Verteidigungsminister hat am Montag mit seinem polnischen Amtskollegen telefoniert. Die beiden "
         "Minister sprachen über die Lage in der Region und die Zusammenarbeit ihrer Streitkräfte.", "de"),
        ("Le ministre des Armées a rencontré son homologue polonais à Varsovie pour discuter de la coopération "
         "militaire et de la situation dans la région, a indiqué le ministère.", "fr"),
        ("Minister obrony narodowej rozmawiał w poniedziałek z ministrem obrony Rumunii o bezpieczeństwie "
         "regionu i wsparciu dla sojuszników. To było ważne spotkanie.", "pl"),
    ],
)
def test_detects_news_languages(text, code):
    assert detect_language(text) == code


def test_english_menu_over_a_russian_article_is_russian():
    text = ("Home News Login Share " + "Министр обороны провёл телефонный разговор с польским коллегой. "
            "Стороны обсудили ситуацию в регионе и вопросы двустороннего военного сотрудничества.")
    assert detect_language(text) == "ru"


def test_english_fast_path_signal():
    ratio, n = english_ratio(EN)
    assert n > 20 and ratio > 0.2
    ratio_de, _ = english_ratio("Die beiden Minister sprachen über die Lage in der Region und die Zusammenarbeit.")
    assert ratio_de < 0.05


@pytest.mark.parametrize("text", ["", "   ", "12:30 — 05.12.2025", "!!! ???"])
def test_no_letters_is_undetermined(text):
    assert detect_language(text) == "und"


def test_only_a_bounded_sample_is_read():
    # a long English article followed by a long German appendix is judged by its beginning
    assert detect_language(EN * 10 + " Die beiden Minister sprachen über die Lage." * 200) == "en"
