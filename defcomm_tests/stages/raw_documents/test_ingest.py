"""Reading files: every file becomes a document or a rejection with the right reason."""
from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from defcomm_assets.stages.raw_documents.ingest import (
    RawFile,
    Rejection,
    SourceFolderError,
    decode_bytes,
    doc_id_for,
    list_source_files,
    name_bytes,
    read_document,
    stored_name,
)

ARTICLE = "Ukrainian Defence Minister Rustem Umerov held a phone call with his Polish counterpart.\n"


def _read(tmp_path, name: str, data: bytes, max_bytes: int = 1_000_000):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    files = [f for f in list_source_files(tmp_path) if f.source_name == name]
    return read_document(files[0], max_bytes)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_decode_to_the_same_text(tmp_path, encoding):
    data = ARTICLE.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    result = _read(tmp_path, "a.txt", data)
    assert isinstance(result, RawFile)
    assert result.text == ARTICLE


def test_windows_1251_cyrillic_is_decoded_by_the_charset_detector():
    text = "Министр обороны Украины провёл телефонный разговор с польским коллегой. " * 5
    decoded, encoding = decode_bytes(text.encode("cp1251"))
    assert decoded == text
    assert encoding.replace("_", "").lower() in {"cp1251", "windows1251"}


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary"),
    (b"abc\x00\x01\x02\x03\x00\xff\xfe\x00\x00\x00\x10" * 50, "binary"),
    (b"\xef\xbb\xbf", "empty"),
])
def test_bad_bytes_are_rejected_with_their_reason(tmp_path, data, reason):
    result = _read(tmp_path, "bad.txt", data)
    assert isinstance(result, Rejection)
    assert result.reason == reason
    assert result.detail


def test_too_large_is_rejected_without_reading(tmp_path):
    result = _read(tmp_path, "big.txt", b"x" * 2000, max_bytes=1000)
    assert isinstance(result, Rejection) and result.reason == "too_large"
    assert "1000" in result.detail


def test_unsupported_extension_is_rejected(tmp_path):
    result = _read(tmp_path, "photo.jpg", b"\xff\xd8\xff\xe0")
    assert isinstance(result, Rejection) and result.reason == "unsupported_type"


def test_vanished_file_is_reported_not_raised(tmp_path):
    (tmp_path / "gone.txt").write_text(ARTICLE)
    [f] = list_source_files(tmp_path)
    os.remove(f.path)
    result = read_document(f, 1_000_000)
    assert isinstance(result, Rejection) and result.reason == "vanished"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text(ARTICLE)
    p.chmod(0)
    [f] = list_source_files(tmp_path)
    assert read_document(f, 1_000_000).reason == "unreadable"


def test_listing_is_recursive_relative_and_sorted(tmp_path):
    for name in ["b.txt", "2025/12/a.txt", "a.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(ARTICLE)
    assert [f.source_name for f in list_source_files(tmp_path)] == ["2025/12/a.txt", "a.txt", "b.txt"]
    assert list_source_files(tmp_path)[0].folder == "2025/12"


def test_missing_source_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SourceFolderError, match="does not exist"):
        list_source_files(tmp_path / "nope")


def test_doc_id_is_derived_from_the_bytes():
    assert doc_id_for(b"abc") == doc_id_for(b"abc") != doc_id_for(b"abd")
    assert len(doc_id_for(b"abc")) == 16


# --- file names that are not UTF-8 (a capture tool that writes names in cp1251 or Latin-1) ----------------------

@pytest.mark.parametrize("raw, stored", [
    (b"a.txt", "a.txt"),
    ("Zelenskyy_\u0437\u0432\u043e\u043d\u043e\u043a.txt".encode(), "Zelenskyy_\u0437\u0432\u043e\u043d\u043e\u043a.txt"),
    (b"caf\xe9.txt", "caf\\xe9.txt"),  # Latin-1
    ("\u0437\u0432\u043e\u043d\u043e\u043a.txt".encode("cp1251"), "\\xe7\\xe2\\xee\\xed\\xee\\xea.txt"),
    (b"back\\slash \xff.txt", "back\\\\slash \\xff.txt"),
    (b"literal \\xff.txt", "literal \\\\xff.txt"),  # a name that spells an escape keeps its meaning
])
def test_a_file_name_is_stored_as_text_that_gives_the_real_name_back(raw, stored):
    assert stored_name(os.fsdecode(raw)) == stored
    assert name_bytes(stored) == raw


@given(st.binary(min_size=1, max_size=30).filter(lambda b: b"/" not in b and b"\x00" not in b))
def test_every_name_the_file_system_allows_round_trips(raw):
    stored = stored_name(os.fsdecode(raw))
    stored.encode("utf-8")  # valid text: DuckDB stores it
    assert name_bytes(stored) == raw


def test_a_folder_with_a_name_that_is_not_utf8_is_listed_with_the_rest(tmp_path):
    (tmp_path / "ok.txt").write_text(ARTICLE)
    sub = os.path.join(os.fsencode(tmp_path), b"d\xe9p\xeaches")
    os.mkdir(sub)
    with open(os.path.join(sub, b"\xe7\xe2\xee\xed\xee\xea.txt"), "wb") as fh:
        fh.write(ARTICLE.encode())
    files = {f.source_name: f for f in list_source_files(tmp_path)}
    assert set(files) == {"ok.txt", "d\\xe9p\\xeaches/\\xe7\\xe2\\xee\\xed\\xee\\xea.txt"}
    odd = files["d\\xe9p\\xeaches/\\xe7\\xe2\\xee\\xed\\xee\\xea.txt"]
    assert odd.folder == "d\\xe9p\\xeaches"
    assert os.path.exists(os.path.join(os.fsencode(tmp_path), name_bytes(odd.source_name)))
    assert isinstance(read_document(odd, 1_000_000), RawFile)
