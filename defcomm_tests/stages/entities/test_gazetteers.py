"""The general-knowledge gazetteer of officials (defcomm_assets/data/officials_general.jsonl) is well formed."""
from __future__ import annotations

import json
import unicodedata

import pycountry
import pytest

from defcomm_tests.paths import ENTITY_DATA

PATH = ENTITY_DATA / "officials_general.jsonl"
BODIES = {"NATO", "EU", "UN", "OSCE"}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    out = []
    with PATH.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            assert line.strip(), f"blank line {n}"
            out.append(json.loads(line))
    return out


@pytest.fixture(scope="module")
def by_name(rows) -> dict[str, dict]:
    return {r["name"]: r for r in rows}


def test_fields_and_types(rows):
    for r in rows:
        assert set(r) == {"name", "country", "role", "aliases"}, r
        assert isinstance(r["name"], str) and r["name"].strip() == r["name"] and r["name"], r
        assert isinstance(r["role"], str) and r["role"].strip(), r
        assert isinstance(r["aliases"], list), r
        for a in r["aliases"]:
            assert isinstance(a, str) and a.strip() == a and a, r
            assert a != r["name"], r
        assert len(set(r["aliases"])) == len(r["aliases"]), r
        # NFC so that lookups after NFC normalisation of text hit
        assert unicodedata.normalize("NFC", r["name"]) == r["name"], r


def test_country_codes_valid(rows):
    for r in rows:
        c = r["country"]
        assert c in BODIES or (len(c) == 2 and c.isupper() and pycountry.countries.get(alpha_2=c) is not None), r


def test_no_duplicate_names_and_aliases_do_not_name_other_entries(rows):
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    name_set = set(names)
    for r in rows:
        assert not (set(r["aliases"]) & (name_set - {r["name"]})), r


def test_sorted_by_country_then_name(rows):
    keys = [(r["country"], r["name"]) for r in rows]
    assert keys == sorted(keys)


def test_coverage(rows):
    assert len(rows) >= 1000
    countries = {r["country"] for r in rows} - BODIES
    assert len(countries) >= 120
    roles = {r["role"] for r in rows}
    for role in ("Minister of Defence", "President", "Prime Minister", "Minister of Foreign Affairs",
                 "Chief of the General Staff", "National Security Adviser", "Secretary General"):
        assert role in roles
    # defence ministers of many states
    assert len({r["country"] for r in rows if r["role"] == "Minister of Defence"}) >= 100


@pytest.mark.parametrize("name,country,role", [
    ("Lloyd Austin", "US", "Secretary of Defense"),
    ("Boris Pistorius", "DE", "Minister of Defence"),
    ("Rustem Umerov", "UA", "Minister of Defence"),
    ("Andrei Belousov", "RU", "Minister of Defence"),
    ("Rajnath Singh", "IN", "Minister of Defence"),
    ("Yaşar Güler", "TR", "Minister of Defence"),
    ("Władysław Kosiniak-Kamysz", "PL", "Minister of Defence"),
    ("Valery Gerasimov", "RU", "Chief of the General Staff"),
    ("António Guterres", "UN", "Secretary General"),
    ("Xi Jinping", "CN", "President"),
])
def test_spot_checks(by_name, name, country, role):
    r = by_name[name]
    assert (r["country"], r["role"]) == (country, role)


def test_mark_rutte(by_name):
    assert by_name["Mark Rutte"]["country"] in {"NATO", "NL"}


def test_aliases_cover_transliterations_and_ascii(by_name):
    assert "Volodymyr Zelensky" in by_name["Volodymyr Zelenskyy"]["aliases"]
    assert "Sergei Lavrov" in by_name["Sergey Lavrov"]["aliases"]
    # diacritic-free spellings are listed for names with diacritics
    assert "Yasar Guler" in by_name["Yaşar Güler"]["aliases"]
    assert "Wladyslaw Kosiniak-Kamysz" in by_name["Władysław Kosiniak-Kamysz"]["aliases"]
