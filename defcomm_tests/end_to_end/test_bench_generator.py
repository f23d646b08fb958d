"""Fast tests of the benchmark corpus generator (bench/generate_corpus.py)."""
from __future__ import annotations

import importlib.util
import random
import re
from datetime import date
from pathlib import Path

import pytest

from defcomm_tests.paths import ROOT

_GEN_PATH = ROOT / "bench" / "generate_corpus.py"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("bench_generate_corpus", _GEN_PATH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.txt"))}


def test_same_seed_gives_identical_files_and_other_seed_differs(gen, tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    sa = gen.generate_corpus(a, 20, seed=3)
    gen.generate_corpus(b, 20, seed=3, jobs=2)  # parallel writing must not change a byte
    gen.generate_corpus(c, 20, seed=4)
    ta, tb, tc = _read_tree(a), _read_tree(b), _read_tree(c)
    assert len(ta) == 20 and sa["n"] == 20
    assert ta == tb
    assert set(ta.values()).isdisjoint(tc.values())
    assert sa["words"] == sum(len(v.decode("utf-8").split()) for v in ta.values())


def test_extending_with_start_adds_new_articles_and_keeps_old_ones(gen, tmp_path):
    gen.generate_corpus(tmp_path, 20, seed=5)
    before = _read_tree(tmp_path)
    stats = gen.generate_corpus(tmp_path, 4, seed=5, start=20)
    after = _read_tree(tmp_path)
    assert stats["n"] == 4 and stats["start"] == 20
    assert len(after) == 24
    assert {k: after[k] for k in before} == before
    new = set(after) - set(before)
    assert len(new) == 4
    assert all(re.fullmatch(r"000/00000(2[0-3])_[0-9a-f]{8}\.txt", k) for k in new)


def test_files_are_sharded_by_thousand(gen):
    assert gen.generate_article(7, 0)[0].startswith("000/0000000_")
    assert gen.generate_article(7, 999)[0].startswith("000/")
    assert gen.generate_article(7, 1000)[0].startswith("001/0001000_")
    assert gen.generate_article(7, 100_500)[0].startswith("100/0100500_")


def test_articles_have_realistic_shape(gen):
    texts = [gen.generate_article(11, i)[1] for i in range(40)]
    words = [len(t.split()) for t in texts]
    # seed-like lengths: 300-1500 words of body, plus page chrome
    assert min(words) >= 300
    assert max(words) <= 1900
    assert len(set(words)) > 30  # lengths vary
    # officials, countries and dates vary across articles
    known = [o[0] for o in gen.KNOWN_OFFICIALS]
    assert sum(any(n in t for n in known) for t in texts) >= 10
    countries = [c[0] for c in gen.COUNTRIES.values()]
    assert len({c for t in texts for c in countries if c in t}) >= 10
    assert sum(bool(re.search(r"\b(19|20)\d\d\b", t)) for t in texts) >= 35
    assert any(re.search(r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", t) for t in texts)
    # page boilerplate of several outlets, and some articles without any chrome
    markers = ("Related Posts", "MORE ABOUT", "Advertising", "ADVERTISEMENT", "Share on Facebook",
               "Sign up to receive", "Related articles", "Read also:", "Privacy Policy")
    assert len({m for t in texts for m in markers if m in t}) >= 5
    assert any(not any(m in t for m in markers) for t in texts)
    # contact vocabulary of the lead sentences shows up
    verbs = ("phone", "video", "met ", "visit", "negotiations", "signed", "invited", "talks")
    assert sum(any(v in t for v in verbs) for t in texts) >= 30
    # first line of a chrome-less article is a headline, not a paragraph
    for t in texts:
        assert t.strip() and "{" not in t and "}" not in t


def test_same_outlet_chrome_repeats_verbatim_across_files(gen):
    texts = [gen.generate_article(2, i)[1] for i in range(60)]
    with_menu = [t for t in texts if "Consent Preferences" in t]
    assert len(with_menu) >= 2
    headers = {t.split("\n\n", 1)[0].split("\n", 1)[1] for t in with_menu}  # minus the capture date
    assert len(headers) == 1


def test_event_dates_in_lead_precede_the_publication_date(gen):
    # article "date YYYY-MM-DD" header: explicit event dates in the lead lie 0-9 days before it
    months = {m: i + 1 for i, m in enumerate(gen.MONTHS)}
    alts = "|".join(months)
    pat = re.compile(rf"\bon (?:(\d{{1,2}}) ({alts})|({alts}) (\d{{1,2}}))\b")
    checked = 0
    for i in range(400):
        t = gen.generate_article(13, i)[1]
        m = re.search(r" date (\d{4})-(\d{2})-(\d{2}) ", t)
        if not m:
            continue
        pub = date(int(m[1]), int(m[2]), int(m[3]))
        lead = t[m.end():].split("\n", 1)[0]
        for d in pat.finditer(lead):
            day, month = (int(d[1]), months[d[2]]) if d[1] else (int(d[4]), months[d[3]])
            ev = date(pub.year if month <= pub.month else pub.year - 1, month, day)
            assert 0 <= (pub - ev).days <= 9, (lead, pub)
            checked += 1
    assert checked >= 3


def test_every_template_slot_is_fillable(gen):
    templates = gen.load_templates()
    assert sum(len(v) for v in templates.values()) >= 60
    slots, people = gen._make_slots(random.Random(0))
    for k in ("weekday", "date", "month", "year", "day", "Day_cap"):
        slots[k] = "X"
    for section, items in templates.items():
        for tpl in items:
            out = tpl.format_map(slots)
            assert "{" not in out and "}" not in out, (section, tpl)


def test_benchmark_removes_only_the_increment_and_formats_rates(gen, tmp_path):
    spec = importlib.util.spec_from_file_location("bench_run_benchmark", _GEN_PATH.parent / "run_benchmark.py")
    rb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rb)
    gen.generate_corpus(tmp_path, 30, seed=1)
    base = _read_tree(tmp_path)
    gen.generate_corpus(tmp_path, 5, seed=1, start=30)
    assert len(_read_tree(tmp_path)) == 35
    assert rb.remove_extra(tmp_path, 30) == 5
    assert _read_tree(tmp_path) == base
    # per-stage rates come from the runner's metadata; stages without processed_docs count the corpus
    run = {"summary": {"stage_metadata": {"a": {"processed_docs": 10, "elapsed_s": 2.0, "peak_rss_mb": 5.0},
                                          "b": {"elapsed_s": 4.0}}}, "timeline": []}
    rows = {r["stage"]: r for r in rb._stage_rows(run, n_docs=20, n_words=2000)}
    assert rows["a"]["articles_s"] == 5.0 and rows["a"]["words_s"] == 500.0
    assert rows["b"]["docs"] == 20 and rows["b"]["words_s"] == 500.0
