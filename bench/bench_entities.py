#!/usr/bin/env python
"""Throughput of the entities stage against the bare spaCy tokenizer, same texts, same run.

    python bench/bench_entities.py [--n 3000] [--seed 1] [--n-process 1] [--batch-size 64] [--repeat 3]
                                   [--mode nlp_pipe|mentions_pipe]

Texts: ``--n`` articles recombined from the seed articles (paragraphs of 2-4 seeds shuffled together, so
every text is different but realistic). Words are whitespace-separated words of the texts (the same numerator
for both). Prints words/s of

* the bare tokenizer: ``spacy.blank("en").tokenizer.pipe(texts)``;
* the entities stage: ``get_pipeline().pipe(texts, n_process=...)`` + ``extract_mentions`` on each Doc +
  one ``resolve_entities`` over the whole batch;

and their ratio (the target is >= 0.5). Medians over ``--repeat`` alternating runs (machines are noisy).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_texts(n: int, seed: int) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    paras = [[x for x in s.split("\n") if x.strip()] for s in seeds]
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        k = rnd.randint(2, min(4, len(paras)))
        chosen = rnd.sample(paras, k)
        lines = [chosen[0][0]]  # a headline
        body = [ln for c in chosen for ln in c[1:]]
        rnd.shuffle(body)
        lines += body[: rnd.randint(15, 60)]
        out.append("\n".join(lines))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mode", choices=("nlp_pipe", "mentions_pipe"), default="nlp_pipe",
                    help="nlp.pipe(n_process) + extract_mentions, "
                         "or pipeline.mentions_pipe (rows only cross processes)")
    a = ap.parse_args()

    import spacy

    from defcomm_assets.stages.entities.mentions import extract_mentions
    from defcomm_assets.stages.entities.pipeline import get_pipeline, mentions_pipe
    from defcomm_assets.stages.entities.resolve import resolve_entities

    texts = make_texts(a.n, a.seed)
    words = sum(len(t.split()) for t in texts)
    tok = spacy.blank("en").tokenizer
    nlp = get_pipeline()
    nlp("warm up: Defence Minister Rustem Umerov said.")  # build gazetteer caches outside the timing
    t_tok, t_ent, n_mentions = [], [], 0
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        for _doc in tok.pipe(texts, batch_size=a.batch_size):
            pass
        t_tok.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        dm = []
        if a.mode == "mentions_pipe":
            for i, ms in enumerate(mentions_pipe(texts, batch_size=a.batch_size, n_process=a.n_process)):
                dm.append((str(i), ms))
        else:
            for i, doc in enumerate(nlp.pipe(texts, batch_size=a.batch_size, n_process=a.n_process)):
                dm.append((str(i), extract_mentions(doc)))
        ents, _ids = resolve_entities(dm)
        t_ent.append(time.perf_counter() - t0)
        n_mentions = sum(len(m) for _, m in dm)
    wt = words / statistics.median(t_tok)
    we = words / statistics.median(t_ent)
    print(f"texts={len(texts)} words={words} mentions={n_mentions} entities={len(ents)} "
          f"mode={a.mode} n_process={a.n_process} repeat={a.repeat}")
    print(f"tokenizer words/s:      {wt:,.0f}")
    print(f"entities stage words/s: {we:,.0f}")
    print(f"ratio entities/tokenizer: {we / wt:.2f} (target >= 0.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
