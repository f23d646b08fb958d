"""Reading the source folder: every file ends as a decoded document or a rejection with a reason.

Pure logic (no Dagster, no DuckDB): ``list_source_files`` walks the folder cheaply (stat only),
``read_document`` reads and decodes one file, never raising for bad input.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ""})
REJECTION_REASONS = ("empty", "binary", "undecodable", "too_large", "unreadable", "vanished", "unsupported_type",
                     "duplicate")

# Signatures of binary formats that turn up in scraped folders under a .txt name.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or docx/xlsx)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class SourceFolderError(Exception):
    """The source folder itself is unusable (missing, not a folder, unreadable)."""


@dataclass(frozen=True)
class SourceFile:
    source_name: str  # relative, '/'-separated
    path: Path
    n_bytes: int
    mtime_ns: int

    @property
    def folder(self) -> str:
        return self.source_name.rpartition("/")[0]


@dataclass(frozen=True)
class RawFile:
    file: SourceFile
    doc_id: str
    text: str
    encoding: str


@dataclass(frozen=True)
class Rejection:
    file: SourceFile
    reason: str
    detail: str


def doc_id_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def list_source_files(source_dir: str | os.PathLike) -> list[SourceFile]:
    """Every regular file below the folder, sorted by relative name (stat only, no reads)."""
    root = Path(source_dir)
    if not root.exists():
        raise SourceFolderError(f"source folder {root} does not exist")
    if not root.is_dir():
        raise SourceFolderError(f"source folder {root} is not a folder")
    out: list[SourceFile] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except PermissionError as exc:
            if folder == root:
                raise SourceFolderError(f"source folder {root} cannot be read: {exc.strerror}") from exc
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                    continue
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError:
                continue  # vanished between listing and stat; the next scan will see it or not
            rel = Path(entry.path).relative_to(root).as_posix()
            out.append(SourceFile(rel, Path(entry.path), st.st_size, st.st_mtime_ns))
    out.sort(key=lambda f: f.source_name)
    return out


def _looks_like_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_zeros = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f\v") or ch == "\ufffd")
    return bad / len(sample)


def decode_bytes(data: bytes) -> tuple[str, str] | tuple[None, tuple[str, str]]:
    """Decode text bytes. Returns (text, encoding) or (None, (reason, detail))."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.removesuffix("-sig")), encoding
            except UnicodeDecodeError as exc:
                return None, ("undecodable", f"starts with a {encoding} byte-order mark but does not decode: {exc.reason}")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return None, ("binary", f"the bytes are {what}, not text")
    if b"\x00" in data[:8192]:
        encoding = _looks_like_utf16_without_bom(data)
        if encoding:
            try:
                text = data.decode(encoding)
                if _control_ratio(text) < 0.01:
                    return text, encoding
            except UnicodeDecodeError:
                pass
        return None, ("binary", "contains NUL bytes: not a text file")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is None:
            return None, ("undecodable", "not UTF-8 and no legacy encoding fits the bytes")
        encoding = best.encoding
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            return None, ("undecodable", f"not UTF-8; best guess {encoding} does not decode the whole file")
    if _control_ratio(text) > 0.05:
        return None, ("binary", "more than 5% control characters: not a text file")
    return text, encoding


def read_document(file: SourceFile, max_bytes: int) -> RawFile | Rejection:
    """Read and decode one file. Bad input becomes a Rejection with a reason; it never raises."""
    suffix = Path(file.source_name).suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        return Rejection(file, "unsupported_type", f"files ending in {suffix} are not read (text, Markdown and HTML are)")
    if file.n_bytes > max_bytes:
        return Rejection(file, "too_large", f"{file.n_bytes} bytes is over the limit of {max_bytes} (DEFCOMM_MAX_FILE_BYTES)")
    try:
        with open(file.path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return Rejection(file, "vanished", "the file disappeared between listing and reading")
    except IsADirectoryError:
        return Rejection(file, "unreadable", "is a folder")
    except OSError as exc:
        return Rejection(file, "unreadable", f"cannot be read: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return Rejection(file, "too_large", f"grew past the limit of {max_bytes} bytes while being read")
    file = SourceFile(file.source_name, file.path, len(data), file.mtime_ns)
    if not data.strip():
        return Rejection(file, "empty", "the file is empty or only whitespace")
    text, info = decode_bytes(data)
    if text is None:
        reason, detail = info
        return Rejection(file, reason, detail)
    if not text.strip():
        return Rejection(file, "empty", "the decoded text is only whitespace")
    return RawFile(file=file, doc_id=doc_id_for(data), text=text, encoding=str(info))


def iter_read(files: list[SourceFile], max_bytes: int) -> Iterator[RawFile | Rejection]:
    for f in files:
        yield read_document(f, max_bytes)
