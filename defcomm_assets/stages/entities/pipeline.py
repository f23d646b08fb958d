"""Build the entities pipeline: ``spacy.blank("en")`` (or a user-installed statistical model) + defcomm rules.

The default is self-contained (English statistical models are not a dependency and nothing is downloaded at run
time). ``spacy_model`` names any installed spaCy pipeline (a package such as ``en_core_web_sm``, or a path to a
saved one): it is loaded as it is and the rules are added on top; the entities it sets (``doc.ents``, PERSON or
PER) are extra person candidates for the rules. Only spaCy's own default error handling is used: compiled
components of spaCy 3.8 (the parser, the NER) cannot take ``set_error_handler``.
"""
from __future__ import annotations

import spacy
from spacy.language import Language

from defcomm_assets.core.workers import WorkerError, WorkerPool
from defcomm_assets.stages.entities.components import (  # (importing components registers the factories)
    DEFCOMM_PIPES,
    TextKeepingTokenizer,
)
from defcomm_assets.stages.entities.doc_data import USER_DATA_KEY
from defcomm_assets.stages.entities.mentions import mentions_from_rows


def load_model(spacy_model: str) -> Language:
    """An installed spaCy pipeline by package name or path; one clear error when it cannot be loaded."""
    try:
        return spacy.load(spacy_model, exclude=["lemmatizer"])
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {spacy_model!r} is not installed (nothing is downloaded at run time): install it into "
            f"the environment, or leave spacy_model unset to use the built-in rule pipeline") from exc
    except Exception as exc:  # a package built for another spaCy, a broken config, a missing factory, ...
        raise RuntimeError(f"spaCy model {spacy_model!r} could not be loaded: {type(exc).__name__}: {exc}") from exc


def build_pipeline(spacy_model: str | None = None) -> Language:
    nlp = load_model(spacy_model) if spacy_model else spacy.blank("en")
    # a saved defcomm pipeline already holds the rules: they are rebuilt at the end, after the model's components
    for name in DEFCOMM_PIPES:
        if nlp.has_pipe(name):
            nlp.remove_pipe(name)
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


# ---------------------------------------------------------------------------------------------- parallel mentions
_WORKER_MODEL: list = [None]


def init_mention_worker(spacy_model: str | None) -> None:
    """WorkerPool initializer: the pipeline this process's ``mention_rows_batch`` uses (inherited when forked)."""
    _WORKER_MODEL[0] = spacy_model
    get_pipeline(spacy_model)


def mention_rows_batch(texts: list[str]) -> list:
    """Mention rows (plain tuples) per text: what crosses the process boundary instead of whole Docs. A text
    that makes the pipeline raise gets a ``WorkerError`` in its place; the others still get their rows."""
    nlp = get_pipeline(_WORKER_MODEL[0])
    try:
        return [doc.user_data.get(USER_DATA_KEY, []) for doc in nlp.pipe(texts, batch_size=len(texts))]
    except Exception:
        out = []
        for text in texts:  # find the document that raised, one by one
            try:
                out.append(nlp(text).user_data.get(USER_DATA_KEY, []))
            except Exception as exc:
                out.append(WorkerError.of(exc))
        return out


def mentions_pipe(texts, spacy_model: str | None = None, batch_size: int = 64, n_process: int = 1):
    """``list[Mention]`` per text, in order. With ``n_process > 1`` the texts go to forked worker processes in
    batches and only the mention rows come back: much cheaper than ``nlp.pipe(n_process=...)``, which ships whole
    Docs back to the parent (deserialising them costs about as much as tokenising)."""
    texts = list(texts)
    with WorkerPool(n_process, init_mention_worker, (spacy_model,)) as pool:
        for rows in pool.map(mention_rows_batch, texts, batch_size):
            if isinstance(rows, Exception):
                raise rows
            yield mentions_from_rows(rows)
