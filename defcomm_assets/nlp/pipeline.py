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


# ---------------------------------------------------------------------------------------------- parallel mentions
_WORKER_MODEL: list = [None]


def _worker_init(spacy_model: str | None) -> None:
    import signal

    # A forked worker inherits the parent's signal handlers (Dagster and test runners install their own); with
    # them, Pool.terminate()'s SIGTERM would not end the worker and the parent would wait for it forever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _WORKER_MODEL[0] = spacy_model
    get_pipeline(spacy_model)


def _worker_rows(texts: list[str]) -> list[list]:
    from .entities import USER_DATA_KEY

    nlp = get_pipeline(_WORKER_MODEL[0])
    return [doc.user_data.get(USER_DATA_KEY, []) for doc in nlp.pipe(texts)]


def mentions_pipe(texts, spacy_model: str | None = None, batch_size: int = 64, n_process: int = 1):
    """``list[Mention]`` per text, in order. With ``n_process > 1`` the texts go to worker processes in batches and
    only the mention rows come back: much cheaper than ``nlp.pipe(n_process=...)``, which ships whole Docs back
    to the parent (deserialising them costs about as much as tokenising). The workers are forked, so the
    gazetteers and the pipeline are built once per worker."""
    from .entities import USER_DATA_KEY, mentions_from_rows

    if n_process <= 1:
        nlp = get_pipeline(spacy_model)
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield mentions_from_rows(doc.user_data.get(USER_DATA_KEY, []))
        return
    import multiprocessing as mp
    from itertools import islice

    def batches():
        it = iter(texts)
        while True:
            chunk = list(islice(it, batch_size))
            if not chunk:
                return
            yield chunk

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(n_process, initializer=_worker_init, initargs=(spacy_model,)) as pool:
        for rows_batch in pool.imap(_worker_rows, batches(), chunksize=1):
            for rows in rows_batch:
                yield mentions_from_rows(rows)
        pool.close()  # all work is done: let the workers exit on their own instead of being signalled
        pool.join()
