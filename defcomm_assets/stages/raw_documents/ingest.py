"""Reading the source folder: every file ends as a decoded document or a rejection with a reason.

Pure logic (no Dagster, no DuckDB): ``list_source_files`` walks the folder cheaply (stat only),
``read_document`` reads and decodes one file, never raising for bad input.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

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
    path: str  # the file system path (a str: building 100,000 Path objects cost a second of every run's listing)
    n_bytes: int
    mtime_ns: int
    # "file" for a regular file (or a symlink to one); anything else is listed so that it is
    # accounted for, and rejected as unreadable without being opened: "broken_link" (dangling or
    # looping symbolic link), "special" (FIFO, socket, device), "folder" (a subfolder that cannot be listed).
    kind: str = "file"

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


_NOT_UTF8_BYTE = re.compile("[\udc80-\udcff]")  # what os.scandir makes of a name's bytes that are not UTF-8
_NAME_ESCAPE = re.compile(r"\\(?:\\|x([0-9a-f]{2}))")


def stored_name(name: str) -> str:
    """A file or folder name as ``source_name`` stores it: the name itself, except that a backslash is written
    ``\\\\`` and each byte that is not UTF-8 (a name saved in cp1251 or Latin-1) ``\\xNN``. Names without either
    are unchanged; every name stays valid text for DuckDB, and ``name_bytes`` gives the real name back."""
    if name.isascii() and "\\" not in name:
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return _NOT_UTF8_BYTE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", name.replace("\\", "\\\\"))
    return name.replace("\\", "\\\\")


def name_bytes(source_name: str) -> bytes:
    """The real relative path (bytes, as the file system has it) of a ``source_name``: ``stored_name`` reversed."""
    out = bytearray()
    pos = 0
    for m in _NAME_ESCAPE.finditer(source_name):
        out += source_name[pos:m.start()].encode("utf-8")
        out += bytes([int(m.group(1), 16)]) if m.group(1) else b"\\"
        pos = m.end()
    out += source_name[pos:].encode("utf-8")
    return bytes(out)


def doc_id_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def list_source_files(source_dir: str | os.PathLike) -> list[SourceFile]:
    """Every file below the folder, sorted by relative name (stat only, no reads).

    Regular files (and symlinks to them) are listed for reading. So that nothing under the folder
    is lost silently, dangling symlinks, FIFOs/sockets/devices and subfolders that cannot be listed
    are listed too, with a ``kind`` that makes ``read_document`` reject them as unreadable.
    Symlinks to folders are not followed (no loops).
    """
    root = Path(source_dir)
    if not root.exists():
        raise SourceFolderError(f"source folder {root} does not exist")
    if not root.is_dir():
        raise SourceFolderError(f"source folder {root} is not a folder")
    out: list[SourceFile] = []
    # (folder, its '/'-terminated name relative to root): relative names are built by string concatenation,
    # not pathlib (pathlib's relative_to cost half the listing time of a 100,000-file folder)
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            if folder == str(root):
                raise SourceFolderError(f"source folder {root} cannot be read: {exc.strerror or exc}") from exc
            if isinstance(exc, FileNotFoundError):
                continue  # the subfolder vanished while we walked: nothing in it to account for
            out.append(SourceFile(prefix, folder, 0, 0, kind="folder"))
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, prefix + stored_name(entry.name) + "/"))
                    continue
                rel = prefix + stored_name(entry.name)
                if entry.is_symlink():
                    try:
                        st = entry.stat()  # follows the link
                    except OSError:
                        lst = entry.stat(follow_symlinks=False)
                        out.append(SourceFile(rel, entry.path, 0, lst.st_mtime_ns, kind="broken_link"))
                        continue
                    if stat.S_ISDIR(st.st_mode):
                        continue  # a link to a folder: not followed
                else:
                    st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # vanished between listing and stat; the next scan will see it or not
            except OSError:
                continue
            kind = "file" if stat.S_ISREG(st.st_mode) else "special"
            out.append(SourceFile(rel, entry.path, st.st_size if kind == "file" else 0, st.st_mtime_ns, kind=kind))
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


# C0 controls other than \t \n \v \f \r, and the replacement character.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")
# A valid multi-byte UTF-8 sequence (2, 3 or 4 bytes).
_UTF8_MULTI_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


_CONTROL_BYTES = bytes(i for i in range(32) if chr(i) not in "\n\r\t\f\v")


def _control_ratio_utf8(data: bytes) -> float:
    """_control_ratio of valid UTF-8 bytes, computed on the bytes (C speed): the same C0 controls, and U+FFFD."""
    sample = data[:20000]
    if not sample:
        return 0.0
    bad = len(sample) - len(sample.translate(None, _CONTROL_BYTES)) + sample.count(b"\xef\xbf\xbd")
    return bad / len(sample)


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_CONTROL_RE.findall(sample)) / len(sample)


def _decode_mostly_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[str, str] | None:
    """UTF-8 that is only damaged: cut in the middle of a character, or a few stray bytes among valid
    multi-byte characters. A legacy code page would turn its real non-ASCII text into mojibake."""
    n_good = len(_UTF8_MULTI_RE.findall(data, 0, 1_000_000))
    if n_good and exc.reason == "unexpected end of data" and exc.end == len(data) and len(data) - exc.start < 4:
        try:
            return data[:exc.start].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    text = data.decode("utf-8", errors="replace")
    n_bad = text.count("\ufffd")
    if n_good >= 3 and n_bad <= n_good and n_bad <= max(3, len(data) // 1000):
        return text, "utf-8"
    return None


# Code pages of DOS consoles and classic Mac OS: charset-normalizer often ranks them first on short texts,
# but web pages are not written in them; they are used only when nothing else fits.
_UNLIKELY_ENCODING = re.compile(r"^(cp(437|7\d\d|8\d\d|1006|1125)|mac_.*|hp_roman8|kz1048|ptcp154|koi8_t|tis_620)$")
_CHAOS_TOLERANCE = 0.11
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# Non-ASCII characters a decoding may legitimately produce that are not letters.
_OK_SYMBOLS = frozenset("\u00a0’‘“”„‚–—…•·«»‹›€£¥$°§©®™±×÷¶†‡‰′″¼½¾¹²³ªº¡¿\u00ad")


def _suspicious(text: str) -> int:
    """Non-ASCII characters that are neither letters nor common typography (mojibake of a wrong code page),
    counted inside words, where a right code page puts letters."""
    n = 0
    for match in _NON_ASCII_RE.finditer(text):
        ch, i = match.group(), match.start()
        if ch.isalpha():
            continue
        if ch in _OK_SYMBOLS and not (0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
                                      and ch not in "’'·\u00ad"):
            continue
        n += 1
    return n


def _legacy_encoding(data: bytes) -> str | None:
    """charset-normalizer's candidates, re-ranked: a decoding without mojibake symbols inside words first,
    web code pages before DOS/Mac ones, then charset-normalizer's own order."""
    sample = data[:200_000]
    matches = list(from_bytes(sample))
    if not matches:
        return None
    floor = min(m.chaos for m in matches)
    ranked = []
    for order, m in enumerate(matches):
        if m.chaos > floor + _CHAOS_TOLERANCE:
            continue
        try:
            text = sample.decode(m.encoding, errors="ignore")[:20_000]
        except LookupError:
            continue
        ranked.append((_suspicious(text) > 0, bool(_UNLIKELY_ENCODING.match(m.encoding)), round(m.chaos, 2), order,
                       m.encoding))
    return min(ranked)[-1] if ranked else matches[0].encoding


def decode_bytes(data: bytes) -> tuple[str, str] | tuple[None, tuple[str, str]]:
    """Decode text bytes. Returns (text, encoding) or (None, (reason, detail))."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.removesuffix("-sig")), encoding
            except UnicodeDecodeError as exc:
                return None, ("undecodable",
                              f"starts with a {encoding} byte-order mark but does not decode: {exc.reason}")
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
        if _control_ratio_utf8(data) > 0.05:
            return None, ("binary", "more than 5% control characters: not a text file")
        return text, "utf-8"
    except UnicodeDecodeError as exc:
        damaged = _decode_mostly_utf8(data, exc)
        if damaged is not None:
            text, encoding = damaged
            if _control_ratio(text) > 0.05:
                return None, ("binary", "more than 5% control characters: not a text file")
            return text, encoding
        encoding = _legacy_encoding(data)
        if encoding is None:
            return None, ("undecodable", "not UTF-8 and no legacy encoding fits the bytes")
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            return None, ("undecodable", f"not UTF-8; best guess {encoding} does not decode the whole file")
    if _control_ratio(text) > 0.05:
        return None, ("binary", "more than 5% control characters: not a text file")
    return text, encoding


def read_document(file: SourceFile, max_bytes: int) -> RawFile | Rejection:
    """Read and decode one file. Bad input becomes a Rejection with a reason; it never raises."""
    if file.kind == "folder":
        return Rejection(file, "unreadable", "the folder cannot be listed: its files are not read")
    if file.kind == "broken_link":
        return Rejection(file, "unreadable", "a symbolic link whose target does not exist (or loops)")
    if file.kind == "special":
        return Rejection(file, "unreadable", "not a regular file (FIFO, socket or device)")
    suffix = os.path.splitext(file.source_name)[1].lower()
    if suffix == ".":  # as Path.suffix: "a." has none
        suffix = ""
    if suffix not in TEXT_SUFFIXES:
        return Rejection(file, "unsupported_type",
                         f"files ending in {suffix} are not read (text, Markdown and HTML are)")
    if file.n_bytes > max_bytes:
        return Rejection(file, "too_large",
                         f"{file.n_bytes} bytes is over the limit of {max_bytes} (DEFCOMM_MAX_FILE_BYTES)")
    try:
        # O_NONBLOCK: a file swapped for a FIFO after listing must not block the run forever.
        fd = os.open(file.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if os.path.islink(file.path):
            return Rejection(file, "unreadable", "a symbolic link whose target does not exist (or loops)")
        return Rejection(file, "vanished", "the file disappeared between listing and reading")
    except IsADirectoryError:
        return Rejection(file, "unreadable", "is a folder")
    except OSError as exc:
        return Rejection(file, "unreadable", f"cannot be read: {exc.strerror or exc}")
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return Rejection(file, "unreadable", "not a regular file (FIFO, socket or device)")
            # read(n) allocates n bytes up front: ask for what the file holds (plus one byte to notice growth).
            size = st.st_size
            data = fh.read(min(size, max_bytes) + 1)
            if len(data) > size and len(data) <= max_bytes:  # it grew since the stat: read on to the limit
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        return Rejection(file, "unreadable", f"cannot be read: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return Rejection(file, "too_large", f"grew past the limit of {max_bytes} bytes while being read")
    file = SourceFile(file.source_name, file.path, len(data), file.mtime_ns, file.kind)
    if not data or data.isspace():
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
