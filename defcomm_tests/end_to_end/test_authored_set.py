"""The authored set: 30 articles written for defcomm in the styles of many outlets, with gold events.

It was written blind to the rules (by an engineer who read only the guidelines and the seeds) and first scored
typed-dyad F1 0.66; the general causes of its errors were then fixed (see docs/QUALITY.md), so it is no longer
blind. Here it guards those fixes: whole-graph run, typed dyads (event type + the pair of countries) and the
countries of the gold persons, against floors a little under today's numbers.
"""
from __future__ import annotations

import itertools
import json
import shutil

import duckdb
import pytest

from defcomm_tests.paths import FIXTURES


@pytest.fixture(scope="module")
def authored(tmp_path_factory):
    from defcomm_assets.core.settings import Settings
    from defcomm_assets.orchestration.runner import run_pipeline

    tmp = tmp_path_factory.mktemp("authored")
    src = tmp / "docs"
    shutil.copytree(FIXTURES / "authored", src)
    db = tmp / "authored.duckdb"
    summary = run_pipeline(src, db, settings=Settings(report_dir=str(tmp / "report")))
    assert summary.success, summary.failures
    gold = [json.loads(x) for x in (FIXTURES / "authored_gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    con = duckdb.connect(str(db), read_only=True)
    yield con, [g for g in gold if g["language"] == "en"]  # other languages are flagged, not coded
    con.close()


def _typed_dyads(events) -> set[tuple[str, str, str]]:
    out = set()
    for etype, countries in events:
        for a, b in itertools.combinations(sorted(set(countries)), 2):
            out.add((etype, a, b))
    return out


def test_typed_dyads_of_the_authored_set(authored):
    con, gold = authored
    tp = fp = fn = 0
    for g in gold:
        rows = con.execute(
            "select e.event_type, list(p.country_code) from events e join event_participants p using (event_id) "
            "join clean_documents d on d.doc_id = e.doc_id where d.source_name like ? group by e.event_id, e.event_type",
            ["%" + g["doc"]]).fetchall()
        pred = _typed_dyads(rows)
        want = _typed_dyads((e["type"], [p["country"] for p in e["participants"]]) for e in g["events"])
        tp += len(pred & want)
        fp += len(pred - want)
        fn += len(want - pred)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.85, (precision, recall, f1)


def test_countries_of_the_authored_set_officials(authored):
    con, gold = authored
    people = {(r[0], r[1]) for r in con.execute(
        "select distinct d.source_name, e.canonical_name || '|' || coalesce(e.country_code, '') from entities e "
        "join entity_mentions m using (entity_id) join clean_documents d on d.doc_id = m.doc_id "
        "where e.label = 'PERSON'").fetchall()}
    found = right = 0
    for g in gold:
        for p in g["persons"]:
            surname = p["name"].split()[-1]
            hits = [x.split("|") for s, x in people if s.endswith(g["doc"]) and surname in x.split("|")[0]]
            if hits:
                found += 1
                right += any(cc == p["country"] for _, cc in hits)
    assert found / sum(len(g["persons"]) for g in gold) >= 0.9
    assert right / found >= 0.95
