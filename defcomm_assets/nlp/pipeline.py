"""Build the entities pipeline: ``spacy.blank("en")`` (or a user-installed statistical model) + defcomm rules.

The default is self-contained (English statistical models cannot be installed here and nothing is downloaded at
run time). ``spacy_model="en_core_web_sm"`` loads that model when installed and adds the rules on top.
"""
from __future__ import annotations

import spacy
from spacy.language import Language

from .components import TextKeepingTokenizer  # (importing components registers the factories)


def build_pipeline(spacy_model: str | None = None) -> Language:
    if spacy_model:
        try:
            nlp = spacy.load(spacy_model, exclude=["lemmatizer"])
        except OSError as exc:
            raise RuntimeError(
                f"spaCy model {spacy_model!r} is not installed (nothing is downloaded at run time): install it into "
                f"the environment, or leave spacy_model unset to use the built-in rule pipeline") from exc
    else:
        nlp = spacy.blank("en")
    if not isinstance(nlp.tokenizer, TextKeepingTokenizer):
        nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        nlp.add_pipe("defcomm_sentences")
    nlp.add_pipe("defcomm_gazetteer", last=True)
    nlp.add_pipe("defcomm_mentions", last=True)
    return nlp


_CACHE: dict[str | None, Language] = {}


def get_pipeline(spacy_model: str | None = None) -> Language:
    """Built once per process per model name ("" and None are the built-in pipeline)."""
    key = spacy_model or None
    nlp = _CACHE.get(key)
    if nlp is None:
        nlp = _CACHE[key] = build_pipeline(key)
    return nlp
