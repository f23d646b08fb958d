"""Hostile input: a source folder of seeds mixed with every kind of bad file a scrape produces.

One run over the mixed folder (in-process, through Dagster) must succeed; every file must end in
exactly one of raw_documents / rejected_documents with the right reason; a document that makes a
later stage raise is recorded in stage_errors (and its check turns red) while the others go through;
and the seeds' results must be exactly those of a clean seeds-only run.
"""
from __future__ import annotations

import gzip
import io
import os
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from defcomm_assets.stages.raw_documents.ingest import (
    RawFile,
    Rejection,
    decode_bytes,
    list_source_files,
    read_document,
)
from defcomm_tests.paths import ROOT

SEEDS = ROOT / "seeds"
MAX_BYTES = 200_000  # the configurable limit, small so the "50 MB dump" stays cheap to write

ENGLISH = ("Regional water board reviews its budget\n\n"
           "The regional water board met on Tuesday in the town hall to review its budget for the coming year, "
           "and the members agreed to repair two pumping stations before the winter. The chairwoman said that "
           "the minutes would be published next week. The next meeting is planned for the spring, when the "
           "engineers will report on the state of the pipes.\n")
CYRILLIC = ("Обласна рада обговорила бюджет\n\n"
            "Члени обласної ради у вівторок обговорили бюджет на наступний рік і погодилися відремонтувати дві "
            "насосні станції до зими. Наступне засідання заплановане на весну.\n")
MENU_ONLY = "Home\nNews\nWorld\nPolitics\nDefence\nSport\nContact us\nSubscribe\nLogin\nPrivacy policy\nCookies\n"


def _poison(marker: str) -> str:
    return ENGLISH.replace("the minutes would", f"the minutes ({marker}) would")


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("article.txt", ENGLISH)
    return buf.getvalue()


def _bad_files() -> dict[str, tuple[bytes, str]]:
    """Relative name -> (bytes, expected rejection reason). At least one of each kind a scrape produces."""
    seed0 = sorted(SEEDS.glob("*.txt"))[0].read_bytes()
    text_noise = ("x\x01\x02\x03\x04\x05\x06\x07\x08" * 400).encode()
    return {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b"  \n\t\r\n   \n", "empty"),
        "bom_only.txt": (b"\xef\xbb\xbf\r\n", "empty"),
        "utf16_blank.txt": ("\ufeff   \n  ".encode("utf-16-le"), "empty"),
        "saved/report.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "binary"),
        "saved/chart.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)), "binary"),
        "saved/photo.txt": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4, "binary"),
        "saved/bundle.txt": (_zip_bytes(), "binary"),
        "saved/feed.txt": (gzip.compress(ENGLISH.encode()), "binary"),
        "saved/blob": (bytes(range(256)) * 40, "binary"),
        "saved/terminal.log.txt": (text_noise, "binary"),
        "bad_bom_utf8.txt": (b"\xef\xbb\xbfDefence news \xff\xfe\xc3( broken", "undecodable"),
        "bad_bom_utf16.txt": (b"\xff\xfe" + "Defence news".encode("utf-16-le") + b"x", "undecodable"),
        "dump/huge.txt": ((ENGLISH * (MAX_BYTES // len(ENGLISH) + 50)).encode(), "too_large"),
        "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", "unsupported_type"),
        "brochure.pdf": (b"%PDF-1.4\n", "unsupported_type"),
        "zz_copy_of_first_seed.txt": (seed0, "duplicate"),
    }


# Files that are hostile but readable: each must become a raw_documents row.
def _good_files() -> dict[str, bytes]:
    return {
        "extra/cp1251.txt": CYRILLIC.encode("cp1251"),
        "extra/utf16_bom.txt": b"\xff\xfe" + ENGLISH.encode("utf-16-le"),
        "extra/utf16_no_bom.txt": ENGLISH.encode("utf-16-le"),
        "extra/utf8_bom.txt": b"\xef\xbb\xbf" + ENGLISH.replace("budget", "budget plan").encode(),
        "extra/truncated_utf8.txt": (ENGLISH + "Café – “Żółć”").encode()[:-1],
        "extra/old_mac_line_ends.txt": ENGLISH.replace("\n", "\r").replace("water", "river").encode(),
        "extra/page.html": (f"<html><head><title>Water board</title></head><body><nav>Home | News</nav>"
                            f"<article><p>{ENGLISH.replace('water', 'harbour')}</p></article></body></html>").encode(),
        "extra/menu_only.txt": MENU_ONLY.encode(),
        "extra/it's; DROP TABLE raw_documents; --.txt": (ENGLISH.replace("water", "forest")
                                                          + "Quote: it's'); DROP TABLE clean_documents; --\n").encode(),
        "extra/Міністр оборони 100%.txt": ENGLISH.replace("water", "railway").encode(),
        "extra/one_long_line.txt": ("word" * 30_000).encode(),
        "extra/nul_deep_inside.txt": (ENGLISH.replace("water", "power") + "x" * 9000 + "\x00\n" + ENGLISH).encode(),
        "extra/poison_clean.txt": _poison("POISONCLEAN").encode(),
        "extra/poison_nlp.txt": _poison("POISONNLP").encode(),
        "extra/poison_events.txt": _poison("POISONEVENTS").encode(),
    }


def _build_source(src: Path) -> dict[str, str]:
    """Seeds + bad + hostile-but-good files + links, a FIFO and a file that vanishes. Returns name -> reason."""
    shutil.copytree(SEEDS, src)
    expected: dict[str, str] = {}
    for name, (data, reason) in _bad_files().items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
        expected[name] = reason
    for name, data in _good_files().items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
    os.symlink(src / "no" / "such" / "target.txt", src / "dangling.txt")
    expected["dangling.txt"] = "unreadable"
    os.symlink(src / "loop_b.txt", src / "loop_a.txt")
    os.symlink(src / "loop_a.txt", src / "loop_b.txt")
    expected["loop_a.txt"] = expected["loop_b.txt"] = "unreadable"
    os.mkfifo(src / "pipe.txt")
    expected["pipe.txt"] = "unreadable"
    (src / "vanishing.txt").write_text(ENGLISH.replace("water", "gas"), encoding="utf-8")
    expected["vanishing.txt"] = "vanished"
    return expected


def _poisoned(mp: pytest.MonkeyPatch, src: Path) -> None:
    """Inject faults: one document per stage makes the stage's logic raise; one file vanishes mid-run."""
    import defcomm_assets.stages.entities.components as nlp_components
    import defcomm_assets.stages.events.rules as event_rules
    from defcomm_assets.stages.clean_documents import asset as cleaned
    from defcomm_assets.stages.raw_documents import asset as raw
    from defcomm_assets.stages.raw_documents import sync as raw_sync

    real_clean, real_mentions, real_events = cleaned.clean_document, nlp_components.doc_mentions, event_rules.extract_events
    real_list = raw.list_source_files

    def clean_document(raw_text, *args, **kwargs):
        if "POISONCLEAN" in raw_text:
            raise ValueError("injected fault in cleaning")
        return real_clean(raw_text, *args, **kwargs)

    def doc_mentions(doc, *args, **kwargs):  # inside the spaCy component, in-process or in a forked worker
        if "POISONNLP" in doc.text:
            raise RuntimeError("injected fault in entities")
        return real_mentions(doc, *args, **kwargs)

    def extract_events(text, *args, **kwargs):
        if "POISONEVENTS" in text:
            raise KeyError("injected fault in events")
        return real_events(text, *args, **kwargs)

    def list_source_files(source_dir):
        files = real_list(source_dir)
        vanishing = Path(source_dir) / "vanishing.txt"
        if vanishing.exists():
            vanishing.unlink()  # deleted after the listing, before the read
        return files

    mp.setattr(cleaned, "clean_document", clean_document)
    mp.setattr(nlp_components, "doc_mentions", doc_mentions)
    mp.setattr(event_rules, "extract_events", extract_events)
    mp.setattr(raw, "list_source_files", list_source_files)
    mp.setattr(raw_sync, "BATCH", 3)  # several insert batches in one stage transaction


@pytest.fixture(scope="module", params=[1, 2], ids=["in-process", "two-workers"])
def fault_run(request, tmp_path_factory):
    """The whole graph on the bad files, in-process and with the document stages in two forked workers (the
    injected faults are inherited by the workers, so each poisoned document must come back as that document's
    error, not fail its batch)."""
    from defcomm_assets.core.settings import Settings
    from defcomm_assets.orchestration.runner import run_pipeline

    tmp = tmp_path_factory.mktemp("faults")
    src = tmp / "src"
    expected = _build_source(src)
    db_path = tmp / "faults.duckdb"
    settings = Settings(report_dir=str(tmp / "report"), max_file_bytes=MAX_BYTES, workers=request.param)
    with pytest.MonkeyPatch.context() as mp:
        _poisoned(mp, src)
        summary = run_pipeline(src, db_path, settings=settings)
    return {"summary": summary, "db": db_path, "src": src, "expected": expected, "settings": settings}


@pytest.fixture
def con(fault_run):
    c = duckdb.connect(str(fault_run["db"]), read_only=True)
    yield c
    c.close()


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_the_run_succeeds_despite_the_bad_files(fault_run):
    s = fault_run["summary"]
    assert s.success, s.failures
    assert not s.failures


def test_every_file_is_in_exactly_one_table_with_the_right_reason(fault_run, con):
    expected = fault_run["expected"]
    good = set(_good_files()) | {p.name for p in SEEDS.glob("*.txt")}
    raw_names = [r[0] for r in q(con, "SELECT source_name FROM raw_documents")]
    rejected = dict(q(con, "SELECT source_name, reason FROM rejected_documents"))
    assert len(raw_names) == len(set(raw_names)), "a file has two raw rows"
    assert len(rejected) == q(con, "SELECT count(*) FROM rejected_documents")[0][0], "a file has two rejections"
    assert set(raw_names) & set(rejected) == set()
    assert set(raw_names) == good
    assert rejected == expected
    assert len(expected) >= 15 and len(set(expected.values())) >= 8
    # Nothing on disk is unaccounted for (the vanished file is gone from disk, but not from the tables).
    on_disk = {p.relative_to(fault_run["src"]).as_posix() for p in fault_run["src"].rglob("*")
               if p.is_symlink() or not p.is_dir()}
    assert on_disk | {"vanishing.txt"} == set(raw_names) | set(rejected)


def test_rejections_explain_themselves(con):
    rows = q(con, "SELECT source_name, reason, detail, seen_at FROM rejected_documents")
    for name, _reason, detail, seen_at in rows:
        assert detail and seen_at is not None, name
    details = {r[0]: r[2] for r in rows}
    assert "PDF" in details["saved/report.txt"]
    assert str(MAX_BYTES) in details["dump/huge.txt"]
    assert "000_" in details["zz_copy_of_first_seed.txt"]  # names the file it duplicates
    assert "symbolic link" in details["dangling.txt"]


def test_stage_metadata_counts_the_rejections_and_the_check_warns(fault_run):
    s = fault_run["summary"]
    meta = s.stage_metadata["raw_documents"]
    by_reason = meta["rejected_by_reason"]
    want: dict[str, int] = {}
    for reason in fault_run["expected"].values():
        want[reason] = want.get(reason, 0) + 1
    assert by_reason == want
    assert meta["rejected_this_run"] == meta["rejected_total"] == len(fault_run["expected"])
    assert "raw_documents:no_rejected_files (WARN)" in s.failed_checks


def test_hostile_but_readable_files_are_decoded(con):
    rows = {r[0]: r[1:] for r in q(con, "SELECT source_name, encoding, raw_text FROM raw_documents")}
    assert rows["extra/cp1251.txt"][0].replace("_", "").lower() in {"cp1251", "windows1251"}
    assert rows["extra/cp1251.txt"][1] == CYRILLIC
    for name in ["extra/utf16_bom.txt", "extra/utf16_no_bom.txt"]:
        assert rows[name][1] == ENGLISH, name
    assert rows["extra/truncated_utf8.txt"][1] == ENGLISH + "Café – “Żółć"
    assert rows["extra/utf8_bom.txt"][1].startswith("Regional")  # the BOM is not part of the text
    sqlish = rows["extra/it's; DROP TABLE raw_documents; --.txt"][1]
    assert sqlish == ENGLISH.replace("water", "forest") + "Quote: it's'); DROP TABLE clean_documents; --\n"


def test_a_document_that_makes_a_stage_raise_is_recorded_and_skipped(fault_run, con):
    errors = {r[0]: r[1:] for r in q(con, """SELECT source_name, stage, error_type, message, traceback
                                            FROM stage_errors""")}
    assert set(errors) == {"extra/poison_clean.txt", "extra/poison_nlp.txt", "extra/poison_events.txt"}
    assert errors["extra/poison_clean.txt"][:3] == ("clean_documents", "ValueError", "injected fault in cleaning")
    assert errors["extra/poison_nlp.txt"][0] == "entities"
    assert "injected fault in entities" in errors["extra/poison_nlp.txt"][2]
    assert errors["extra/poison_events.txt"][:2] == ("events", "KeyError")
    for _stage, _error_type, _message, traceback in errors.values():
        assert "Traceback" in traceback or "raise" in traceback or "injected" in traceback
    status = dict(q(con, """SELECT s.stage || ':' || r.source_name, s.status FROM doc_stage_status s
                            JOIN raw_documents r USING (doc_id) WHERE r.source_name LIKE 'extra/poison%'"""))
    assert status["clean_documents:extra/poison_clean.txt"] == "error"
    assert status["entities:extra/poison_nlp.txt"] == "error"
    assert status["events:extra/poison_events.txt"] == "error"
    # The other documents went through every stage.
    assert q(con, "SELECT count(*) FROM clean_documents WHERE source_name = 'extra/poison_nlp.txt'") == [(1,)]
    # The per-stage checks turn red (ERROR severity) so the operator sees them.
    failed = fault_run["summary"].failed_checks
    for check in ["clean_documents:no_stage_errors", "entities:no_stage_errors", "events:no_stage_errors"]:
        assert f"{check} (ERROR)" in failed, failed


def test_stages_are_consistent_with_their_bookkeeping(con):
    raw_ids = {r[0] for r in q(con, "SELECT doc_id FROM raw_documents")}
    cleaned = dict(q(con, "SELECT doc_id, status FROM doc_stage_status WHERE stage = 'clean_documents'"))
    assert set(cleaned) == raw_ids
    assert {r[0] for r in q(con, "SELECT doc_id FROM clean_documents")} == {d for d, s in cleaned.items() if s == "ok"}
    ent = dict(q(con, "SELECT doc_id, status FROM doc_stage_status WHERE stage = 'entities'"))
    assert set(ent) == {d for d, s in cleaned.items() if s == "ok"}
    ev = dict(q(con, "SELECT doc_id, status FROM doc_stage_status WHERE stage = 'events'"))
    assert set(ev) == {d for d, s in ent.items() if s != "error"}  # a document the NLP failed on has no mentions
    assert q(con, """SELECT count(*) FROM entity_mentions m JOIN clean_documents c USING (doc_id)
                     WHERE substr(c.clean_text, m.start_char + 1, m.end_char - m.start_char) <> m.text""") == [(0,)]
    assert q(con, """SELECT count(*) FROM events e JOIN clean_documents c USING (doc_id)
                     WHERE substr(c.clean_text, e.evidence_start + 1, e.evidence_end - e.evidence_start)
                           <> e.evidence""") == [(0,)]
    # Non-English and page-only documents are cleaned, not errors.
    assert q(con, "SELECT nlp_mode FROM clean_documents WHERE source_name = 'extra/cp1251.txt'") == [("skipped_non_english",)]
    assert q(con, "SELECT count(*) FROM events e JOIN clean_documents c USING (doc_id) "
                  "WHERE c.source_name = 'extra/menu_only.txt'") == [(0,)]


SEED_CLEAN = """SELECT source_name, title, published_date, published_date_source, language, clean_text, nlp_mode
                FROM clean_documents WHERE source_name IN (SELECT unnest(?)) ORDER BY source_name"""
SEED_MENTIONS = """SELECT c.source_name, m.label, m.text, m.start_char, m.end_char, m.country_code, m.role
                   FROM entity_mentions m JOIN clean_documents c USING (doc_id)
                   WHERE c.source_name IN (SELECT unnest(?)) ORDER BY ALL"""
SEED_EVENTS = """SELECT c.source_name, e.event_id, e.event_type, e.status, e.event_date, e.topics, e.evidence,
                        e.evidence_start, e.evidence_end, e.location, e.rule, e.is_main,
                        (SELECT list((p.position, p.name, p.country_code, p.role, p.is_initiator) ORDER BY p.position, p.name)
                         FROM event_participants p WHERE p.event_id = e.event_id) AS sides
                 FROM events e JOIN clean_documents c USING (doc_id)
                 WHERE c.source_name IN (SELECT unnest(?)) ORDER BY c.source_name, e.evidence_start, e.event_id"""


@pytest.mark.parametrize("sql", [SEED_CLEAN, SEED_MENTIONS, SEED_EVENTS], ids=["clean", "mentions", "events"])
def test_the_seeds_results_are_unchanged_by_the_bad_files(con, seeds_db, sql):
    names = sorted(p.name for p in SEEDS.glob("*.txt"))
    clean = duckdb.connect(str(seeds_db), read_only=True)
    try:
        want = clean.execute(sql, [names]).fetchall()
    finally:
        clean.close()
    assert want, "the clean seeds run produced nothing to compare"
    assert q(con, sql, names) == want


def test_the_next_run_keeps_the_accounting_and_picks_up_a_repaired_file(fault_run):
    from defcomm_assets.orchestration.runner import run_pipeline

    src = fault_run["src"]
    (src / "empty.txt").write_text(ENGLISH.replace("water", "wind"), encoding="utf-8")  # repaired
    (src / "photo.jpg").unlink()  # removed
    summary = run_pipeline(src, fault_run["db"], settings=fault_run["settings"],
                           selection=["raw_documents", "clean_documents"])
    assert summary.success, summary.failures
    c = duckdb.connect(str(fault_run["db"]), read_only=True)
    try:
        raw_names = {r[0] for r in c.execute("SELECT source_name FROM raw_documents").fetchall()}
        rejected = dict(c.execute("SELECT source_name, reason FROM rejected_documents").fetchall())
        clean_names = {r[0] for r in c.execute("SELECT source_name FROM clean_documents").fetchall()}
    finally:
        c.close()
    assert "empty.txt" in raw_names and "empty.txt" in clean_names and "empty.txt" not in rejected
    assert "photo.jpg" not in rejected  # a rejection is current state: the file is gone
    assert rejected["dump/huge.txt"] == "too_large" and rejected["pipe.txt"] == "unreadable"
    assert not raw_names & set(rejected)
    assert summary.stage_metadata["raw_documents"]["new_docs"] == 1


# --- ingest unit tests for the cases the run above depends on ---------------------------------------


def test_truncated_utf8_is_not_sent_to_the_charset_detector():
    data = ("Defence ministers met in Kraków – “talks”. " * 5).encode()
    text, encoding = decode_bytes(data + "Ż".encode()[:1])
    assert encoding == "utf-8" and text == data.decode()


def test_a_few_stray_bytes_in_utf8_are_replaced_not_mojibake():
    good = ("Minister spoke in Kraków – “talks” about Żółć. " * 20).encode()
    text, encoding = decode_bytes(good[:200] + b"caf\xe9 " + good[200:])
    assert encoding == "utf-8"
    assert "Kraków" in text and "“talks”" in text and text.count("\ufffd") == 1


def test_a_legacy_file_is_still_detected_as_legacy():
    data = ("Министр обороны провёл телефонный разговор с польским коллегой. " * 10).encode("cp1251")
    text, encoding = decode_bytes(data)
    assert text == data.decode("cp1251")


def test_links_fifos_and_folders_are_listed_and_rejected_not_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH)
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "link_to_a.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path / "sub", tmp_path / "link_to_sub")  # not followed: no loops through folders
    files = {f.source_name: f for f in list_source_files(tmp_path)}
    assert set(files) == {"a.txt", "dangling.txt", "link_to_a.txt", "pipe.txt"}
    results = {name: read_document(f, 10_000) for name, f in files.items()}
    assert isinstance(results["a.txt"], RawFile) and isinstance(results["link_to_a.txt"], RawFile)
    assert isinstance(results["dangling.txt"], Rejection) and results["dangling.txt"].reason == "unreadable"
    assert isinstance(results["pipe.txt"], Rejection) and results["pipe.txt"].reason == "unreadable"


def test_a_file_replaced_by_a_fifo_after_listing_does_not_block(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ENGLISH)
    [f] = list_source_files(tmp_path)
    p.unlink()
    os.mkfifo(p)  # reading this with a plain open() would wait forever for a writer
    result = read_document(f, 10_000)
    assert isinstance(result, Rejection) and result.reason == "unreadable"


@pytest.mark.parametrize("text,encoding", [
    ("Minister obrony narodowej rozmawiał z ministrem Ukrainy o wsparciu dla żołnierzy. " * 3, "cp1250"),
    ("Ο υπουργός Άμυνας συναντήθηκε με τον ομόλογό του στην Αθήνα. " * 3, "cp1253"),
    ("Министр обороны провёл телефонный разговор с польским коллегой. " * 5, "koi8_r"),
])
def test_legacy_code_pages_decode_without_mojibake(text, encoding):
    decoded, _ = decode_bytes(text.encode(encoding))
    assert decoded == text


def test_typographic_quotes_of_a_windows_page_survive():
    text = ("The minister said the talks were “constructive” – and it’s a start. " * 4)
    decoded, encoding = decode_bytes(text.encode("cp1252"))
    assert decoded == text, encoding


def test_a_subfolder_that_cannot_be_listed_is_reported_not_skipped(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text(ENGLISH)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.txt").write_text(ENGLISH)
    real_scandir = os.scandir

    def scandir(path):  # what a folder without read permission does for a non-root user
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files = {f.source_name: f for f in list_source_files(tmp_path)}
    assert set(files) == {"ok.txt", "locked/"}
    result = read_document(files["locked/"], 10_000)
    assert isinstance(result, Rejection) and result.reason == "unreadable" and "folder" in result.detail


def test_a_file_without_read_permission_is_unreadable(tmp_path, monkeypatch):
    (tmp_path / "secret.txt").write_text(ENGLISH)
    [f] = list_source_files(tmp_path)
    real_open = os.open

    def deny(path, *args, **kwargs):  # root ignores chmod 000, so the refusal is simulated
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    result = read_document(f, 10_000)
    assert isinstance(result, Rejection) and result.reason == "unreadable" and "Permission denied" in result.detail


def test_a_file_that_grows_past_the_limit_after_listing_is_too_large(tmp_path):
    p = tmp_path / "growing.txt"
    p.write_text(ENGLISH)
    [f] = list_source_files(tmp_path)
    p.write_text(ENGLISH * 100)  # the scraper is still writing it
    result = read_document(f, max_bytes=len(ENGLISH) * 10)
    assert isinstance(result, Rejection) and result.reason == "too_large"


def test_a_file_that_grows_within_the_limit_is_read_whole(tmp_path):
    p = tmp_path / "growing.txt"
    p.write_text(ENGLISH)
    [f] = list_source_files(tmp_path)
    p.write_text(ENGLISH * 3)
    result = read_document(f, max_bytes=len(ENGLISH) * 10)
    assert isinstance(result, RawFile) and result.text == ENGLISH * 3 and result.file.n_bytes == len(ENGLISH) * 3
