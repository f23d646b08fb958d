"""What the pipeline's components keep on a spaCy Doc (``doc.user_data`` keys) and how to read it back.

No spaCy import: the components (``components.py``) write these keys, the mention rules (``mentions.py``) and the
worker batches (``pipeline.py``) read them.
"""
from __future__ import annotations

USER_DATA_KEY = "defcomm_mentions"  # the mention rows of a Doc: plain lists, so they survive nlp.pipe(n_process=2)
SPANS_KEY = "defcomm_places"
SENTS_KEY = "defcomm_sent_starts"
TEXT_KEY = "defcomm_text"
SKIP_KEY = "defcomm_skipped"


def doc_text(doc, pop: bool = False) -> str:
    """The Doc's text without ``doc.text`` (which rebuilds it token by token in Python): the pipeline's
    tokenizer keeps the input string in ``user_data``; the last component drops it again."""
    t = doc.user_data.pop(TEXT_KEY, None) if pop else doc.user_data.get(TEXT_KEY)
    return t if t is not None else doc.text


def is_latin_english_script(text: str, sample: int = 3000) -> bool:
    """Cheap guard: English NER is not run on texts mostly in another script (Cyrillic, Greek, Arabic, CJK).
    Language identification proper is the cleaning stage's job (clean_documents.language)."""
    s = text[:sample]
    if not s or s.isascii():
        return True
    # letters of other scripts are non-ASCII; accented Latin letters are a small minority in any Latin text
    return len(s.encode("ascii", "ignore")) >= 0.75 * len(s)
