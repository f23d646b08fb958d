"""spaCy components of the defcomm pipeline, registered with ``@Language.factory`` (inspectable, serialisable).

* ``defcomm_gazetteer`` – a PhraseMatcher over the shipped gazetteers (countries with ISO codes, demonyms,
  capitals and metonyms, international and defence bodies); matches go to ``doc.spans["defcomm_places"]``.
* ``defcomm_mentions`` – the context rules of ``entities.compute_mentions`` (people, their country and office,
  bodies, offices); stores plain rows in ``doc.user_data["defcomm_mentions"]`` (so they survive
  ``nlp.pipe(n_process=2)``) and sets ``doc.ents`` for display.

The gazetteers ship inside the package, so ``to_disk`` writes nothing but the config; loading a saved pipeline
needs ``import defcomm_assets.nlp.components`` first (the factories must be registered).
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from . import gazetteers as gz
from .entities import USER_DATA_KEY, compute_mentions

SPANS_KEY = "defcomm_places"
SKIP_KEY = "defcomm_skipped"
_LATIN = re.compile(r"[A-Za-z]")
_ALPHA = re.compile(r"[^\W\d_]")


def is_latin_english_script(text: str, sample: int = 3000) -> bool:
    """Cheap guard: English NER is not run on texts mostly in another script (Cyrillic, Greek, Arabic, CJK).
    Language identification proper is the cleaning stage's job (clean_documents.language)."""
    s = text[:sample]
    alpha = len(_ALPHA.findall(s))
    return alpha == 0 or len(_LATIN.findall(s)) / alpha >= 0.6


class GazetteerMatcher:
    def __init__(self, nlp: Language, name: str = "defcomm_gazetteer"):
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        texts = sorted({p.text for p in gz.places()})
        self.matcher.add("PLACE", list(nlp.tokenizer.pipe(texts)))

    def __call__(self, doc: Doc) -> Doc:
        spans = [doc[s:e] for _, s, e in self.matcher(doc)]
        doc.spans[SPANS_KEY] = spans
        return doc

    # the gazetteers live in the package: nothing to serialise beyond the config
    def to_disk(self, path, exclude=()):
        pass

    def from_disk(self, path, exclude=()):
        return self

    def to_bytes(self, exclude=()):
        return b""

    def from_bytes(self, data, exclude=()):
        return self


def doc_mentions(doc: Doc) -> list[list]:
    """Rows of ``entities.compute_mentions`` for a Doc (uses the gazetteer spans and sentences when present)."""
    if not is_latin_english_script(doc.text):
        doc.user_data[SKIP_KEY] = "not English script: no English NER run"
        return []
    places = None
    if SPANS_KEY in doc.spans:
        places = [(sp.start_char, sp.end_char, sp.text) for sp in doc.spans[SPANS_KEY]]
    sent_starts = None
    if doc.has_annotation("SENT_START"):
        sent_starts = [s.start_char for s in doc.sents]
    return compute_mentions(doc.text, places, sent_starts)


class MentionRules:
    def __init__(self, nlp: Language, name: str = "defcomm_mentions", set_ents: bool = True):
        self.name = name
        self.set_ents = set_ents

    def __call__(self, doc: Doc) -> Doc:
        rows = doc_mentions(doc)
        doc.user_data[USER_DATA_KEY] = rows
        if self.set_ents and rows:
            spans = []
            for label, s, e, *_ in rows:
                if label in ("PERSON", "GPE", "NORP", "ORG"):
                    sp = doc.char_span(s, e, label=label, alignment_mode="expand")
                    if sp is not None:
                        spans.append(sp)
            # rules win over a statistical model's entities where they overlap
            doc.ents = filter_spans(spans + [e for e in doc.ents if not any(
                e.start < sp.end and sp.start < e.end for sp in spans)])
        return doc

    def to_disk(self, path, exclude=()):
        pass

    def from_disk(self, path, exclude=()):
        return self

    def to_bytes(self, exclude=()):
        return b""

    def from_bytes(self, data, exclude=()):
        return self


@Language.factory("defcomm_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, name)


@Language.factory("defcomm_mentions", default_config={"set_ents": True})
def make_mentions(nlp: Language, name: str, set_ents: bool) -> MentionRules:
    return MentionRules(nlp, name, set_ents)
