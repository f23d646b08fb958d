"""The one sentence splitter (core/sentences.py): the event rules' sentences and the entities stage's starts."""
from defcomm_assets.core.sentences import sentence_starts, split_sentences


def texts(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


def test_titles_initials_and_acronyms_do_not_end_a_sentence():
    text = "Adm. Renato Freire met Lloyd J. Austin in the U.S. Capitol. Gen. Laura Richardson spoke."
    assert texts(text) == ["Adm. Renato Freire met Lloyd J. Austin in the U.S. Capitol.", "Gen. Laura Richardson spoke."]


def test_an_initial_after_a_lowercase_word_ends_the_sentence():
    assert texts("They held talks on B. He left.") == ["They held talks on B.", "He left."]


def test_lines_are_paragraphs_and_headlines_are_not_reportable():
    text = "Austin, Reznikov discuss air defense\nThey met. He said.\n\nRead also: more news.\n"
    sents = split_sentences(text)
    assert [(text[s.start:s.end], s.para, s.reportable) for s in sents] == [
        ("Austin, Reznikov discuss air defense", 1, False), ("They met.", 2, True), ("He said.", 2, True),
        ("Read also: more news.", 3, False)]


def test_sentence_starts_at_sentence_ends_and_line_breaks():
    text = "Mr. Smith met Gen. Jones. They talked.\nNext line"
    assert sentence_starts(text) == [0, text.index("They"), text.index("Next")]


def test_months_and_dotted_acronyms_are_abbreviations():
    text = "WASHINGTON, Oct. 13 — The N.A.T.O. envoy met him at 9 a.m. Friday. He left."
    assert texts(text) == ["WASHINGTON, Oct. 13 — The N.A.T.O. envoy met him at 9 a.m. Friday.", "He left."]


def test_sentence_starts_are_the_starts_of_the_sentences():
    text = "Headline here\n\n  Gen. Smith met Lt. Col. Jones on Jan. 5. They talked… Then left.\nMore (Reuters). Yes."
    assert sentence_starts(text) == [0] + [s.start for s in split_sentences(text)][1:]


def test_a_lower_case_word_run_into_a_capital_ends_the_sentence():
    text = "The ministers met in Oslo on Friday.Later, Vik called her counterpart.Asked about it, he smiled."
    assert texts(text) == ["The ministers met in Oslo on Friday.", "Later, Vik called her counterpart.",
                           "Asked about it, he smiled."]


def test_no_space_break_spares_names_sites_initials_and_numbers():
    text = "Agency.News and U.S.Army staff saw item No.5 at 2.5 km on defence.gov.uk with Dr.Who fans."
    assert texts(text) == [text]


def test_no_space_break_after_an_initial_or_a_bracket_before_a_sentence_opener():
    text = "Details were posted on X.On Monday the chiefs met (2023-2025).Vik then left."
    assert texts(text) == ["Details were posted on X.", "On Monday the chiefs met (2023-2025).", "Vik then left."]
