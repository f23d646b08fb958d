"""spaCy components of the defcomm pipeline, registered with ``@Language.factory`` (inspectable, serialisable).

* ``defcomm_sentences`` – sentence boundaries from an abbreviation-aware regex (no per-token Python).
* ``defcomm_gazetteer`` – a PhraseMatcher over the shipped gazetteers (countries with ISO codes, demonyms,
  capitals and metonyms, international and defence bodies); char offsets go to ``doc.user_data``.
* ``defcomm_mentions`` – the context rules of ``entities.compute_mentions`` (people, their country and office,
  bodies, offices); stores plain rows in ``doc.user_data["defcomm_mentions"]`` (so they survive
  ``nlp.pipe(n_process=2)``) and sets ``doc.ents`` for display.

The gazetteers ship inside the package, so ``to_disk`` writes nothing but the config; loading a saved pipeline
needs ``import defcomm_assets.stages.entities.components`` first (the factories must be registered).
"""
from __future__ import annotations

import numpy as np
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from defcomm_assets.stages.entities import gazetteers as gz
from defcomm_assets.stages.entities.doc_data import SENTS_KEY, SPANS_KEY, TEXT_KEY, USER_DATA_KEY, doc_text
from defcomm_assets.stages.entities.mentions import doc_mentions, sentence_starts

_ENT_LABELS = frozenset({"PERSON", "GPE", "NORP", "ORG"})
DEFCOMM_PIPES = frozenset({"defcomm_sentences", "defcomm_gazetteer", "defcomm_mentions"})


class _RulesFromData:
    """Components whose rules come from the package's data files, not from training: nothing to serialise,
    so ``nlp.to_disk`` / ``spacy.load`` round-trip by rebuilding them from the same files."""

    def to_disk(self, path, exclude=()):
        pass

    def from_disk(self, path, exclude=()):
        return self

    def to_bytes(self, exclude=()):
        return b""

    def from_bytes(self, data, exclude=()):
        return self


class TextKeepingTokenizer:
    """Wraps the language's tokenizer; remembers each input text on its Doc (see ``doc_text``)."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):  # vocab, rules, to_disk, from_disk, explain, ... of the wrapped tokenizer
        return getattr(self.tokenizer, name)

    def __reduce__(self):
        return (TextKeepingTokenizer, (self.tokenizer,))
class GazetteerMatcher(_RulesFromData):
    def __init__(self, nlp: Language, name: str = "defcomm_gazetteer"):
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        texts = sorted({p.text for p in gz.places()})
        self.matcher.add("PLACE", list(nlp.tokenizer.pipe(texts)))

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        if matches:
            arr = doc.to_array([IDX, LENGTH])
            doc.user_data[SPANS_KEY] = [[int(arr[s, 0]), int(arr[e - 1, 0] + arr[e - 1, 1])] for _, s, e in matches]
        else:
            doc.user_data[SPANS_KEY] = []
        return doc



class RegexSentences(_RulesFromData):
    """Sentence boundaries from one compiled regex (abbreviation-aware), written with ``Doc.from_array`` so no
    Python code runs per token; the char offsets are kept in ``doc.user_data`` for the mention rules."""

    def __init__(self, nlp: Language, name: str = "defcomm_sentences"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        starts = sentence_starts(doc_text(doc))
        doc.user_data[SENTS_KEY] = starts
        idx = doc.to_array(IDX)
        arr = np.full(n, -1, dtype="int64")
        pos = np.searchsorted(idx, np.asarray(starts, dtype="int64"))
        arr[pos[pos < n]] = 1
        arr[0] = 1
        doc.from_array([SENT_START], arr.astype("uint64").reshape(-1, 1))
        return doc



@Language.factory("defcomm_sentences")
def make_sentences(nlp: Language, name: str) -> RegexSentences:
    return RegexSentences(nlp, name)


class MentionRules(_RulesFromData):
    def __init__(self, nlp: Language, name: str = "defcomm_mentions", set_ents: bool = True):
        self.name = name
        self.set_ents = set_ents
        # a component before this one that sets doc.ents (a model's "ner", an entity_ruler, ...) feeds the rules
        self.model_ner = nlp.has_pipe("ner") or any(
            "doc.ents" in nlp.get_pipe_meta(n).assigns for n in nlp.pipe_names if n not in DEFCOMM_PIPES)

    def __call__(self, doc: Doc) -> Doc:
        rows = doc_mentions(doc, doc_text(doc, pop=True), self.model_ner)
        doc.user_data.pop(SENTS_KEY, None)
        doc.user_data.pop(SPANS_KEY, None)
        doc.user_data[USER_DATA_KEY] = rows
        if self.set_ents and rows and len(doc):
            self._set_ents(doc, rows)
        return doc

    def _set_ents(self, doc: Doc, rows) -> None:
        """doc.ents from the rows through one array write (no Span objects); rules replace model entities."""
        keep = [r for r in rows if r[0] in _ENT_LABELS]
        if not keep:
            return
        idx = doc.to_array(IDX)
        n = len(doc)
        iob = np.full(n, 2, dtype="uint64")  # O
        typ = np.zeros(n, dtype="uint64")
        starts = np.fromiter((r[1] for r in keep), dtype="int64", count=len(keep))
        ends = np.fromiter((r[2] for r in keep), dtype="int64", count=len(keep))
        first = np.searchsorted(idx, starts, side="right") - 1
        after = np.searchsorted(idx, ends, side="left")
        strings = doc.vocab.strings
        last = -1
        for r, i, j in zip(keep, first.tolist(), after.tolist()):
            if i < 0 or i <= last or j <= i:
                continue
            iob[i] = 3
            iob[i + 1:j] = 1
            typ[i:j] = strings.add(r[0])
            last = j - 1
        doc.from_array([ENT_IOB, ENT_TYPE], np.stack([iob, typ], axis=1))



@Language.factory("defcomm_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, name)


@Language.factory("defcomm_mentions", default_config={"set_ents": True})
def make_mentions(nlp: Language, name: str, set_ents: bool) -> MentionRules:
    return MentionRules(nlp, name, set_ents)
