"""Reading files: every file becomes a document or a rejection with the right reason."""
from __future__ import annotations

import os

import pytest

from defcomm_assets.stages.raw_documents.ingest import (Rejection, RawFile, SourceFolderError, decode_bytes, doc_id_for, list_source_files,
                                   read_document)

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
