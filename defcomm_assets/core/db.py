"""The DuckDB side of the stages: table definitions, transactions, typed inserts.

``TABLES`` is the one place where each stage table and its columns are declared (with the
descriptions shown in the Dagster UI). The contract tables (see CONTRACT.md) are a subset;
the extra columns make every row explainable and the stages incremental.

No Dagster import here: the assets, the command line and the tests all use this module.
"""
from __future__ import annotations

import contextlib
import os
import re
import stat as _stat
import time
from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


def _cols(*spec: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


TABLES: dict[str, tuple[Column, ...]] = {
    "raw_documents": _cols(
        ("doc_id", "VARCHAR", "Stable id: sha256 of the raw bytes, first 16 hex digits."),
        ("source_name", "VARCHAR", "Path of the file relative to the source folder, '/'-separated; a byte of a "
                                    "name that is not UTF-8 is written \\xNN and a backslash \\\\ "
                                    "(ingest.name_bytes gives the real path back)."),
        ("raw_text", "VARCHAR", "Decoded text, otherwise untouched."),
        ("n_bytes", "BIGINT", "Size of the file in bytes."),
        ("ingested_at", "TIMESTAMP", "When this content was first ingested."),
        ("folder", "VARCHAR", "Folder of the file relative to the source folder ('' for the top level)."),
        ("encoding", "VARCHAR", "Encoding the bytes were decoded from."),
        ("file_mtime_ns", "BIGINT", "Modification time of the file when it was read (ns)."),
        ("missing_since", "TIMESTAMP", "Set when the file is no longer in the source folder; its rows are kept."),
    ),
    "rejected_documents": _cols(
        ("source_name", "VARCHAR", "Path of the rejected file relative to the source folder (as in raw_documents)."),
        ("reason", "VARCHAR", "empty, binary, undecodable, too_large, unreadable, vanished, duplicate."),
        ("detail", "VARCHAR", "What exactly was wrong, for the operator."),
        ("n_bytes", "BIGINT", "Size of the file in bytes, when known."),
        ("seen_at", "TIMESTAMP", "When the file was last looked at."),
        ("file_mtime_ns", "BIGINT", "Modification time of the file when it was looked at (ns)."),
    ),
    "clean_documents": _cols(
        ("doc_id", "VARCHAR", "As in raw_documents."),
        ("title", "VARCHAR", "Headline when one can be found."),
        ("published_date", "DATE", "The article's own publication date; NULL when the text does not state it."),
        ("language", "VARCHAR", "ISO 639-1 code of the body."),
        ("clean_text", "VARCHAR", "The article body with page boilerplate removed, sentences verbatim."),
        ("published_date_source", "VARCHAR", "Which rule of the publication-date cascade fired (NULL: none)."),
        ("nlp_mode", "VARCHAR",
         "'english' when the English entity and event rules run; 'skipped_non_english' otherwise."),
        ("duplicate_of", "VARCHAR", "doc_id of the first document with the same normalised body, when this is a copy."),
        ("body_fingerprint", "VARCHAR", "Hash of the normalised body, for duplicate detection."),
        ("source_name", "VARCHAR", "As in raw_documents."),
        ("n_words", "BIGINT", "Words in clean_text."),
        ("lines_total", "INTEGER", "Non-empty lines in the raw text."),
        ("lines_removed", "INTEGER", "Lines the cleaner dropped as boilerplate."),
        ("chars_removed", "BIGINT", "Characters the cleaner dropped."),
    ),
    "entity_mentions": _cols(
        ("doc_id", "VARCHAR", "The document the mention is in."),
        ("entity_id", "VARCHAR", "The canonical entity this mention resolves to."),
        ("label", "VARCHAR", "PERSON, ORG, GPE, NORP or ROLE."),
        ("text", "VARCHAR", "The mention as written."),
        ("start_char", "INTEGER", "Offset into clean_documents.clean_text."),
        ("end_char", "INTEGER", "End offset into clean_documents.clean_text."),
        ("country_code", "VARCHAR",
         "Country (or organisation code of core.vocabulary) the document attributes to this mention."),
        ("role", "VARCHAR", "Office the document attributes to this mention."),
        ("mention_key", "VARCHAR", "Document-level identity: mentions of one person in one document share it."),
    ),
    "entities": _cols(
        ("entity_id", "VARCHAR", "Stable id derived from the canonical key; one per real person/body/place."),
        ("canonical_name", "VARCHAR", "Best full form, diacritics kept."),
        ("label", "VARCHAR", "PERSON, ORG, GPE, NORP or ROLE."),
        ("country_code", "VARCHAR",
         "ISO 3166-1 alpha-2 of the state served, or an organisation code of core.vocabulary."),
        ("role", "VARCHAR", "Office, e.g. 'Minister of Defence'."),
        ("aliases", "VARCHAR[]", "Every spelling seen in the corpus."),
    ),
    "events": _cols(
        ("event_id", "VARCHAR", "Stable id: hash of document, sides, type and evidence position."),
        ("doc_id", "VARCHAR", "The article that reports the event."),
        ("event_type", "VARCHAR", "One of the event types of core.vocabulary."),
        ("status", "VARCHAR", "One of the statuses of core.vocabulary (occurred, planned)."),
        ("event_date", "DATE", "The event's own date when stated or resolvable; NULL otherwise."),
        ("topics", "VARCHAR[]", "Topics from the closed list of core.vocabulary."),
        ("evidence", "VARCHAR", "The sentence that reports it, verbatim from clean_text."),
        ("date_source", "VARCHAR", "Which rule of the event-date cascade fired (NULL: none)."),
        ("location", "VARCHAR", "Where the contact took place, when stated."),
        ("evidence_start", "INTEGER", "Offset of the evidence in clean_text."),
        ("evidence_end", "INTEGER", "End offset of the evidence in clean_text."),
        ("rule", "VARCHAR", "The rule that produced the event."),
        ("is_main", "BOOLEAN", "The contact the article is mainly about."),
        ("location_country", "VARCHAR", "Country of the location (the code the document gives that place); NULL when "
                                        "the location is unstated or not in a known country."),
        ("cameo_code", "VARCHAR", "CAMEO event code of what the first side did (the visitor's 042, the inviter's 036; "
                                  "036 for a planned contact; 044 for a meeting in a third country): core.vocabulary, "
                                  "decisions in docs/EVENT_CODES.md."),
        ("plover_type", "VARCHAR", "PLOVER event type of cameo_code (CONSULT, AGREE)."),
        ("plover_mode", "VARCHAR", "PLOVER mode (phone, visit, host, third-party, multilateral); NULL when none."),
    ),
    "event_participants": _cols(
        ("event_id", "VARCHAR", "The event."),
        ("entity_id", "VARCHAR", "The resolved entity when the side is a person or body with an entity."),
        ("name", "VARCHAR", "Person, body or country name."),
        ("country_code", "VARCHAR", "The side's country or organisation code."),
        ("role", "VARCHAR", "The side's office."),
        ("is_initiator", "BOOLEAN", "The side that initiated the contact, when the text says so."),
        ("position", "INTEGER", "Order of the side in the event (the inviter first for invitations)."),
        ("is_host", "BOOLEAN", "For a visit, whether the side is the host (its country is where the visit took place "
                               "when the location says so, else any country but the first side's); NULL otherwise."),
        ("cameo_code", "VARCHAR", "CAMEO code of what this side did to the sides of other countries (a visit's "
                                  "host 043, its visitor 042); NULL when it only received (an invitee). The source's "
                                  "code of the event_dyads rows."),
        ("plover_type", "VARCHAR", "PLOVER type of this side's cameo_code."),
        ("plover_mode", "VARCHAR", "PLOVER mode of this side's cameo_code; NULL when none."),
    ),
    "contacts": _cols(
        ("contact_id", "VARCHAR", "One real-world contact: a group of event reports across articles."),
        ("event_type", "VARCHAR", "Type of the contact."),
        ("status", "VARCHAR", "occurred when any report says it happened, else planned."),
        ("contact_date", "DATE", "Date of the contact when any report states it."),
        ("countries", "VARCHAR[]", "Sorted country/organisation codes of the sides."),
        ("participants", "VARCHAR[]", "Names of the sides."),
        ("participant_entity_ids", "VARCHAR[]", "Entity ids of the sides that are resolved entities."),
        ("topics", "VARCHAR[]", "Union of the reports' topics."),
        ("n_reports", "BIGINT", "Event rows (reports) grouped into this contact."),
        ("n_sources", "BIGINT", "Distinct source files reporting it."),
        ("first_published", "DATE", "Earliest publication date among the reports."),
        ("evidence", "VARCHAR", "Evidence sentence of the first report."),
        ("source_name", "VARCHAR", "Source file of the first report."),
    ),
    "contact_events": _cols(
        ("contact_id", "VARCHAR", "The contact."),
        ("event_id", "VARCHAR", "An event row that reports it."),
    ),
    "doc_stage_status": _cols(
        ("doc_id", "VARCHAR", "The document."),
        ("stage", "VARCHAR", "clean_documents, entities or events (the stage's folder and asset name)."),
        ("stage_version", "VARCHAR", "Logic version of the stage that processed the document."),
        ("input_hash", "VARCHAR", "Fingerprint of the stage's input for this document."),
        ("output_hash", "VARCHAR", "Fingerprint of the stage's output, the next stage's input."),
        ("status", "VARCHAR", "ok, skipped_non_english or error."),
        ("processed_at", "TIMESTAMP", "When the stage processed the document."),
    ),
    "stage_errors": _cols(
        ("doc_id", "VARCHAR", "The document the stage failed on."),
        ("source_name", "VARCHAR", "Its file."),
        ("stage", "VARCHAR", "The stage that raised."),
        ("error_type", "VARCHAR", "Exception class."),
        ("message", "VARCHAR", "Exception message."),
        ("traceback", "VARCHAR", "Last frames of the traceback."),
        ("occurred_at", "TIMESTAMP", "When."),
    ),
    "line_counts": _cols(
        ("folder", "VARCHAR", "Source folder."),
        ("line_key", "VARCHAR", "Normalised key of a line that may be page template."),
        ("n_docs", "BIGINT", "Documents of the folder the line occurs in."),
    ),
    "line_counted_docs": _cols(
        ("doc_id", "VARCHAR", "A raw document whose lines are in line_counts."),
        ("folder", "VARCHAR", "The folder it was counted in."),
    ),
}

_POLARS_TYPES = {
    "VARCHAR": pl.Utf8,
    "BIGINT": pl.Int64,
    "INTEGER": pl.Int32,
    "DATE": pl.Date,
    "TIMESTAMP": pl.Datetime("us"),
    "BOOLEAN": pl.Boolean,
    "DOUBLE": pl.Float64,
    "VARCHAR[]": pl.List(pl.Utf8),
}


def polars_schema(table: str) -> dict[str, pl.DataType]:
    return {c.name: _POLARS_TYPES[c.type] for c in TABLES[table]}


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the stage tables that do not exist yet (and columns added since)."""
    have: dict[str, set[str]] = {}
    for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'").fetchall():
        have.setdefault(table, set()).add(column)
    for table, columns in TABLES.items():
        if table not in have:
            cols = ", ".join(f'"{c.name}" {c.type}' for c in columns)
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
            continue
        for c in columns:
            if c.name not in have[table]:
                con.execute(f'ALTER TABLE {table} ADD COLUMN "{c.name}" {c.type}')
    # stages are named after their folder and asset since the layout by stage: rows written under the old
    # name keep their meaning (their stage version differs anyway, so the documents are reprocessed once)
    for table in ("doc_stage_status", "stage_errors"):
        if table in have:
            con.execute(f"UPDATE {table} SET stage = 'clean_documents' WHERE stage = 'cleaned'")


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One stage, one transaction: everything is committed, or nothing is (ROLLBACK on any error)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def frame(table: str, rows: Iterable[Mapping] | Sequence[Mapping]) -> pl.DataFrame:
    """Rows as a polars frame typed exactly like the table (missing keys are NULL)."""
    schema = polars_schema(table)
    rows = list(rows)
    data = {name: [r.get(name) for r in rows] for name in schema}
    return pl.DataFrame(data, schema=schema)


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping] | pl.DataFrame) -> int:
    """Insert rows (dicts or a frame with the table's columns) through Arrow; returns the row count."""
    df = rows if isinstance(rows, pl.DataFrame) else frame(table, rows)
    if df.height == 0:
        return 0
    names = [c.name for c in TABLES[table]]
    df = df.select(names)
    view = f"_defcomm_insert_{table}"
    con.register(view, df.to_arrow())
    try:
        cols = ", ".join(f'"{n}"' for n in names)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}")
    finally:
        con.unregister(view)
    return df.height


def delete_docs(con: duckdb.DuckDBPyConnection, table: str, doc_ids: Sequence[str], column: str = "doc_id") -> None:
    """Delete the rows of these documents (parameters only; never string interpolation of values)."""
    if not doc_ids:
        return
    con.register("_defcomm_doc_ids", pl.DataFrame({"doc_id": list(doc_ids)}, schema={"doc_id": pl.Utf8}).to_arrow())
    try:
        con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT doc_id FROM _defcomm_doc_ids)")
    finally:
        con.unregister("_defcomm_doc_ids")


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute(  # fetchall: DuckDB 2 keeps a half-read result open and blocks con.sql() after it
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?",
        [table]).fetchall()[0][0])


def named_rows(cursor: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Every row of an executed query as a named tuple whose fields are the SELECT's column names.

    Code then reads ``row.doc_id`` (or builds ``Record(**row._asdict())``), never ``row[0]`` or ``Record(*row)``,
    which are right only while the SELECT lists its columns in the record's order. As cheap as plain tuples
    (one class per query; a field is read by index). The rows are for this process: a class made per query does
    not pickle, so rows bound for worker processes go as plain tuples plus ``[d[0] for d in cursor.description]``
    (``Record(**dict(zip(names, row)))`` on the other side)."""
    row = namedtuple("Row", [d[0] for d in cursor.description])
    return list(map(row._make, cursor.fetchall()))


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


class DatabaseError(Exception):
    """The database file cannot be used; the message is one line for the operator."""


def _not_duckdb_file(path: str, min_bytes: int = 1) -> bool:
    """An existing regular file of at least ``min_bytes`` without DuckDB's magic bytes (offset 8: b"DUCK"),
    e.g. garbage or a SQLite file."""
    try:
        with open(path, "rb") as fh:
            if not _stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return False
            head = fh.read(12)
    except OSError:
        return False
    return len(head) >= min_bytes and head[8:12] != b"DUCK"


def _corrupt(path: str) -> DatabaseError:
    return DatabaseError(f"database {path} is not a readable DuckDB file (corrupt or another format): "
                         f"move it away or pass another --db")


def _classify(path: str, exc: BaseException) -> DatabaseError:
    text = str(exc)
    low = text.lower()
    if "is a directory" in low:
        return DatabaseError(f"database {path} is a folder, not a database file: pass a file path with --db "
                             f"or DEFCOMM_DB_PATH")
    if "could not set lock" in low or "conflicting lock" in low:
        pid = ""
        if "pid" in low:
            m = re.search(r"PID (\d+)", text)
            pid = f" (PID {m.group(1)})" if m else ""
        return DatabaseError(f"database {path} is locked by another process{pid}: wait for that run to finish "
                             f"(or close the program holding it), then try again")
    if "not a valid duckdb" in low or "corrupt" in low or "invalid" in low and "database" in low \
            or "unable to open database" in low and "version" in low or "could not read enough bytes" in low \
            or _not_duckdb_file(path):
        return _corrupt(path)
    if "permission denied" in low or "read-only file system" in low or "cannot open file" in low \
            or "no such file or directory" in low:
        return DatabaseError(f"database {path} cannot be opened for writing ({text.splitlines()[0][:160]}): "
                             f"choose a writable path with --db or DEFCOMM_DB_PATH")
    return DatabaseError(f"database {path} cannot be opened: {text.splitlines()[0][:200]}")


def connect(path: str, read_only: bool = False, wait_s: float = 0.0, config: dict | None = None,
            on_wait=None) -> duckdb.DuckDBPyConnection:
    """Open the database; while another process holds the write lock, wait up to ``wait_s`` seconds.

    Errors an operator can fix (locked, corrupt, unwritable) raise DatabaseError with a one-line message.
    """
    if path != ":memory:" and not read_only:
        parent = Path(path).expanduser().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"database {path} cannot be created: folder {parent} is not writable "
                                f"({exc.strerror}): choose another --db or DEFCOMM_DB_PATH") from None
    if read_only and path != ":memory:" and not Path(path).expanduser().exists():
        raise DatabaseError(f"database {path} does not exist: run `defcomm run` first or pass --db")
    if path != ":memory:" and _not_duckdb_file(str(Path(path).expanduser()), min_bytes=12):
        # Checked first: DuckDB would try to download an extension to read e.g. a SQLite file. (A file still
        # being created by another process is shorter than the header and left to DuckDB and its lock.)
        raise _corrupt(path)
    deadline = time.monotonic() + wait_s
    delay = 0.2
    warned = False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config or {})
        except (duckdb.IOException, duckdb.Error, OSError) as exc:
            err = _classify(path, exc)
            locked = "is locked by another process" in str(err)
            if locked and time.monotonic() < deadline:
                if on_wait and not warned:
                    on_wait(str(err))
                    warned = True
                time.sleep(delay)
                delay = min(delay * 1.5, 2.0)
                continue
            raise err from None
