"""Corpus-level resolution: one entity per real person across articles, stable ids, aliases kept."""
import random

from defcomm_assets.core.records import Entity, Mention
from defcomm_assets.stages.entities.mentions import extract_mentions
from defcomm_assets.stages.entities.pipeline import get_pipeline
from defcomm_assets.stages.entities.resolve import resolve_entities
from defcomm_tests.paths import SEEDS


def per(text, canonical, country, role=None, start=0, key=None):
    from defcomm_assets.stages.entities.names import surname_key

    return Mention("PERSON", text, start, start + len(text), canonical, country, role,
                   key or "per:" + surname_key(canonical))


def person_ids(doc_mentions, ids):
    """{(doc, surface): entity_id} of the PERSON mentions."""
    out = {}
    for (doc, ms), row in zip(doc_mentions, ids):
        for m, eid in zip(ms, row):
            if m.label == "PERSON":
                out[(doc, m.text)] = eid
    return out


def seed_mentions():
    nlp = get_pipeline()
    paths = sorted(SEEDS.glob("*.txt"))
    docs = nlp.pipe([p.read_text(encoding="utf-8") for p in paths])
    return [(p.name, extract_mentions(d)) for p, d in zip(paths, docs)]


def test_seeds_kosiniak_kamysz_is_one_entity_across_spellings():
    dm = seed_mentions()
    ents, ids = resolve_entities(dm)
    by_id = {e.entity_id: e for e in ents}
    pid = person_ids(dm, ids)
    k1 = pid[("000_6b69322693f17578.txt", "Władyslaw KosiniakKamysz")]
    k2 = pid[("004_b794f22e8554c6f4.txt", "Władysław Kosiniak-Kamysz")]
    assert k1 == k2
    e = by_id[k1]
    assert e.canonical_name == "Władysław Kosiniak-Kamysz" and e.country_code == "PL"
    assert {"Władyslaw KosiniakKamysz", "Władysław Kosiniak-Kamysz"} <= set(e.aliases)
    # Zelenskyy in two seeds is one entity too, and every mention in a document has an id
    assert pid[("001_89fa92b31013e9c2.txt", "Volodymyr Zelenskyy")] == pid[("002_42757a187e0b100f.txt", "Volodymyr Zelenskyy")]
    assert all(eid for row in ids for eid in row)
    assert [len(r) for r in ids] == [len(ms) for _, ms in dm]


def test_each_real_person_of_the_seeds_is_exactly_one_entity():
    dm = seed_mentions()
    ents, ids = resolve_entities(dm)
    people = [e for e in ents if e.label == "PERSON"]
    from collections import Counter

    from defcomm_assets.stages.entities.names import surname_key

    counts = Counter(surname_key(e.canonical_name) for e in people)
    for name in ("Kosiniak-Kamysz", "Zelenskyy", "Umerov", "Duda", "Tusk", "Rutte", "Zaluzhnyi"):
        assert counts[surname_key(name)] == 1, (name, [e for e in people if surname_key(e.canonical_name) == surname_key(name)])


def test_ids_do_not_depend_on_document_order():
    dm = seed_mentions()
    ents1, ids1 = resolve_entities(dm)
    shuffled = dm[:]
    random.Random(3).shuffle(shuffled)
    ents2, ids2 = resolve_entities(shuffled)
    assert sorted(ents1, key=lambda e: e.entity_id) == sorted(ents2, key=lambda e: e.entity_id)
    assert person_ids(dm, ids1) == person_ids(shuffled, ids2)


def test_spelling_variants_merge_but_different_people_stay_apart():
    dm = [
        ("a", [per("Volodymyr Zelensky", "Volodymyr Zelensky", "UA", "President")]),
        ("b", [per("Zelenskiy", "Volodymyr Zelenskiy", "UA")]),
        ("c", [per("Olena Zelenska", "Olena Zelenska", "UA")]),
        ("d", [per("Sergei Shoigu", "Sergei Shoigu", "RU")]),
        ("d2", [per("Sergej Schoigu", "Sergej Schoigu", "RU")]),
        ("e", [per("Zakir Həsənov", "Zakir Həsənov", "AZ"), per("Kosiniak-Kamish", "Władysław Kosiniak-Kamish", "PL", start=20)]),
        ("f", [per("Zakir Hasanov", "Zakir Hasanov", "AZ"), per("Władysław Kosiniak-Kamysz", "Władysław Kosiniak-Kamysz", "PL", start=20)]),
        ("g", [per("John Smith", "John Smith", "GB")]),
        ("g2", [per("John Smith", "John Smith", "US")]),
    ]
    ents, ids = resolve_entities(dm)
    pid = person_ids(dm, ids)
    assert pid[("a", "Volodymyr Zelensky")] == pid[("b", "Zelenskiy")]
    assert pid[("c", "Olena Zelenska")] != pid[("a", "Volodymyr Zelensky")]
    assert pid[("d", "Sergei Shoigu")] == pid[("d2", "Sergej Schoigu")]
    assert pid[("e", "Zakir Həsənov")] == pid[("f", "Zakir Hasanov")]
    assert pid[("e", "Kosiniak-Kamish")] == pid[("f", "Władysław Kosiniak-Kamysz")]
    assert ids[7][0] != ids[8][0]  # same name, two states: two people
    assert len({e.entity_id for e in ents if e.label == "PERSON"}) == 7  # Zelensky, Zelenska, Shoigu, Hasanov, Kosiniak-Kamysz, two Smiths


def test_known_entities_keep_their_ids_and_gain_aliases():
    first = [("a", [per("Rustem Umerov", "Rustem Umerov", "UA", "Minister of Defence")])]
    ents, ids = resolve_entities(first)
    known = [e for e in ents if e.label == "PERSON"]
    umerov = known[0]
    later = [("b", [per("Rustem Umyerov", "Rustem Umyerov", "UA")]), ("c", [per("Umerov", "Umerov", None)])]
    ents2, ids2 = resolve_entities(later, known=known)
    assert ids2[0][0] == umerov.entity_id and ids2[1][0] == umerov.entity_id
    upd = {e.entity_id: e for e in ents2}[umerov.entity_id]
    assert upd.canonical_name == "Rustem Umerov"
    assert {"Rustem Umerov", "Rustem Umyerov", "Umerov"} <= set(upd.aliases)
    # nothing new to say about a known entity: it is not returned again
    ents3, ids3 = resolve_entities(first, known=[upd])
    assert ids3[0][0] == umerov.entity_id
    assert [e for e in ents3 if e.label == "PERSON"] == []


def test_countries_and_demonyms_share_one_entity():
    dm = [("a", [Mention("GPE", "Poland", 0, 6, "Poland", "PL", key="gpe:PL"),
                 Mention("NORP", "Polish", 10, 16, "Poland", "PL", key="norp:PL"),
                 Mention("ORG", "NATO", 20, 24, "NATO", "NATO", key="org:NATO:nato"),
                 Mention("GPE", "Kyiv", 30, 34, "Kyiv", "UA", key="gpe:UA")])]
    ents, ids = resolve_entities(dm)
    assert ids[0][0] == ids[0][1] == "gpe:PL"
    by_id = {e.entity_id: e for e in ents}
    assert by_id["gpe:PL"].canonical_name == "Poland" and set(by_id["gpe:PL"].aliases) == {"Poland", "Polish"}
    assert by_id[ids[0][2]].country_code == "NATO"
    assert ids[0][3] != "gpe:UA" and by_id[ids[0][3]].country_code == "UA"


def test_entity_is_the_record_type():
    ents, _ = resolve_entities([("a", [per("Rustem Umerov", "Rustem Umerov", "UA")])])
    assert all(isinstance(e, Entity) for e in ents)
