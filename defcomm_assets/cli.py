"""defcomm on the command line: run the asset graph, query the database, export, report.

Expected operator errors (missing folder, locked or corrupt database, bad SQL) are one line on
stderr and a non-zero exit code, never a traceback.

The heavy modules (DuckDB and polars through ``core.db``, Dagster, pyarrow, sqlglot, plotly) are imported inside
the command that needs them, so that ``defcomm --help`` and a usage error answer at once.
"""
from __future__ import annotations

import argparse
import csv
import logging
import os
import sys
import webbrowser
from dataclasses import replace
from pathlib import Path

from defcomm_assets.core.settings import Settings
from defcomm_assets.stages.raw_documents.ingest import SourceFolderError, list_source_files

EXIT_FAILED = 1  # the run or the query failed
EXIT_USAGE = 2  # the operator must fix something (path, lock, arguments)

CONTRACT_TABLES = ["raw_documents", "rejected_documents", "clean_documents", "entity_mentions", "entities", "events",
                   "event_participants", "contacts", "contact_events", "stage_errors"]


class OperatorError(Exception):
    """Something the operator can fix; printed as one line."""


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"defcomm: error: {message}", file=sys.stderr)
    return code


def _env_settings() -> Settings:
    try:
        return Settings.from_env()
    except ValueError as exc:  # a malformed DEFCOMM_* variable is the operator's to fix, not a traceback
        raise OperatorError(str(exc)) from None


def _read_only(db_path: str, sandbox: bool = False):
    """A read-only connection; ``sandbox`` also refuses file access (COPY TO, ATTACH, read_csv), so a query
    cannot write anywhere."""
    from defcomm_assets.core.db import connect  # lazy: DuckDB + polars (~1 s)

    return connect(db_path, read_only=True, config={"enable_external_access": False} if sandbox else None)


def _reader_db(args) -> str:
    """What sql, export and report read: ``--db`` when given, else the analysts' snapshot the last run published
    (readers and a running writer never wait for each other); before the first run, the database itself."""
    if args.db:
        return args.db
    s = _env_settings()
    if Path(s.read_path).expanduser().exists():
        return s.read_path
    print(f"defcomm: note: no snapshot at {s.read_path} yet (each run publishes one): reading {s.db_path}",
          file=sys.stderr)
    return s.db_path


def _summary(db_path: str, wait_s: float = 0.0) -> str:
    from defcomm_assets.core.db import connect  # lazy: DuckDB + polars (~1 s)

    con = connect(db_path, read_only=True, wait_s=wait_s)  # another run may be writing right now: wait for it
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        raw, rejected = q("SELECT (SELECT count(*) FROM raw_documents), (SELECT count(*) FROM rejected_documents)")[0]
        clean, non_en, undated = q("""SELECT count(*), count(*) FILTER (WHERE nlp_mode <> 'english'),
                                      count(*) FILTER (WHERE published_date IS NULL) FROM clean_documents""")[0]
        persons = q("SELECT count(*) FROM entities WHERE label = 'PERSON'")[0][0]
        n_events, n_contacts = q("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM contacts)")[0]
        by_type = q("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1")
        pairs = q("""SELECT country_a || '–' || country_b, n_contacts FROM network_edges
                     ORDER BY n_contacts DESC, 1 LIMIT 5""") if _has(con, "network_edges") else []
        errors = q("SELECT count(*) FROM stage_errors")[0][0]
    finally:
        con.close()
    lines = [
        f"documents: {raw} read, {rejected} rejected, {clean} cleaned ({non_en} not English, {undated} undated)",
        f"entities:  {persons} persons",
        f"events:    {n_events} reports of {n_contacts} unique contacts"
        + (": " + ", ".join(f"{t} {n}" for t, n in by_type) if by_type else ""),
    ]
    if pairs:
        lines.append("top pairs: " + ", ".join(f"{p} ({n})" for p, n in pairs))
    if errors:
        lines.append(f"stage errors: {errors} documents (see the stage_errors table)")
    return "\n".join(lines)


def _this_run(meta: dict[str, dict]) -> str:
    """What this run found and did: files new, changed and gone, and the documents each stage processed."""
    raw = meta.get("raw_documents", {})
    files = (f"this run:  {raw.get('new_docs', 0)} new, {raw.get('changed_docs', 0)} changed, "
             f"{raw.get('missing_docs', 0)} gone, {raw.get('unchanged_docs', 0)} unchanged files"
             f" ({raw.get('rejected_this_run', 0)} rejected)")
    stages = [(s, meta[s].get("processed_docs")) for s in ("clean_documents", "entities", "events") if s in meta]
    done = ", ".join(f"{s} {n}" for s, n in stages if n is not None)
    return files + (f"; documents processed: {done}" if done else "")


def _has(con, table: str) -> bool:
    from defcomm_assets.core.db import table_exists  # lazy: DuckDB + polars (~1 s)

    return table_exists(con, table)


def cmd_run(args) -> int:
    from defcomm_assets.core.db import DatabaseError, connect  # lazy: DuckDB + polars (~1 s)

    env = _env_settings()
    settings = replace(env, source_dir=args.source or env.source_dir).with_db_path(args.db or env.db_path)
    try:
        files = list_source_files(settings.source_dir)
    except SourceFolderError as exc:
        return _fail(f"{exc}: pass an existing folder with --source or DEFCOMM_SOURCE_DIR")
    if not files:
        print(f"defcomm: warning: {settings.source_dir} holds no files: nothing to read (documents already in "
              f"{settings.db_path} are kept)", file=sys.stderr)
    try:  # fail fast, in one line, on a database the run could not use; wait while another run holds it
        connect(settings.db_path, wait_s=args.lock_wait,
                on_wait=lambda m: print(f"defcomm: waiting: {m}", file=sys.stderr)).close()
    except DatabaseError as exc:
        return _fail(str(exc))
    os.environ.setdefault("DAGSTER_IS_DEV_CLI", "1")
    from defcomm_assets.orchestration.runner import run_pipeline  # lazy: Dagster (~2.5 s), after the env var above

    # long stages say how far they are (documents done of total, rate, time left), one line per chunk
    progress = logging.getLogger("defcomm.progress")
    if not progress.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("defcomm: %(message)s"))
        progress.addHandler(handler)
        progress.setLevel(logging.INFO)
        progress.propagate = False

    summary = run_pipeline(settings.source_dir, settings.db_path, full_refresh=args.full_refresh, settings=settings,
                           log_level="INFO" if args.verbose else "CRITICAL")
    if not summary.success:
        for line in summary.failures or ["the run failed"]:
            print(f"defcomm: error: {line}", file=sys.stderr)
        return EXIT_FAILED
    print(f"materialized {len(summary.stage_metadata)} assets from {settings.source_dir} into {settings.db_path} "
          f"in {summary.elapsed_s:.1f} s")
    print(_this_run(summary.stage_metadata))
    # the snapshot this run published: readable while another run may already be writing the database
    published = Path(settings.read_path).expanduser().exists()
    print(_summary(settings.read_path if published else settings.db_path, wait_s=args.lock_wait))
    if summary.failed_checks:
        print("checks that did not pass: " + ", ".join(summary.failed_checks))
    return 0


def cmd_sql(args) -> int:
    import duckdb  # lazy: only the commands that open the database pay for DuckDB

    from defcomm_assets.core.db import DatabaseError  # lazy: DuckDB + polars (~1 s)

    query = sys.stdin.read() if args.query == "-" else args.query
    if not query.strip():
        return _fail('no query: pass SQL, e.g. defcomm sql "SELECT * FROM contact_timeline LIMIT 5", '
                     "or - to read it from standard input")
    db_path = _reader_db(args)
    try:
        con = _read_only(db_path, sandbox=True)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        rel = con.sql(query)
        if rel is None:
            return 0
        if args.csv:
            w = csv.writer(sys.stdout)
            w.writerow(rel.columns)
            w.writerows(rel.fetchall())
        else:
            rel.show(max_width=args.max_width, max_rows=args.max_rows)
        return 0
    except duckdb.Error as exc:
        return _fail(f"query failed: {str(exc).splitlines()[0]}", EXIT_FAILED)
    finally:
        con.close()


def _csv_select(con, table: str) -> str:
    """SELECT of a table for CSV: a list column is written as JSON text (["UA", "PL"]), which CSV readers keep
    whole; every other value as DuckDB writes it (dates ISO 8601, CAMEO codes with their leading 0)."""
    cols = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
                       "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()
    return "SELECT " + ", ".join(f'to_json("{c}")::VARCHAR AS "{c}"' if t.endswith("[]") else f'"{c}"'
                                 for c, t in cols) + f" FROM {table}"


def cmd_export(args) -> int:
    import pyarrow.parquet as pq  # lazy: pyarrow (~0.4 s) only for export

    from defcomm_assets.core.db import DatabaseError, table_exists  # lazy: DuckDB + polars (~1 s)
    from defcomm_assets.sql_models.models import load_models  # lazy: sqlglot (~0.4 s) only for export

    db_path = _reader_db(args)
    out = Path(args.dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"cannot create {out}: {exc.strerror}")
    try:
        con = _read_only(db_path)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        tables = CONTRACT_TABLES + [m.name for m in load_models()]
        written = []
        for t in tables:
            if not table_exists(con, t):
                continue
            if args.format == "csv":
                path = out / f"{t}.csv"
                con.execute(f"COPY ({_csv_select(con, t)}) TO '{_sql_path(path)}' (FORMAT csv, HEADER)")
                n = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            else:
                arrow = con.sql(f"SELECT * FROM {t}").to_arrow_table()
                pq.write_table(arrow, out / f"{t}.parquet")
                n = arrow.num_rows
            written.append(f"{t} ({n})")
    finally:
        con.close()
    print(f"wrote {len(written)} tables to {out} as {args.format}: " + ", ".join(written))
    return 0


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def cmd_report(args) -> int:
    from defcomm_assets.core.db import DatabaseError  # lazy: DuckDB + polars (~1 s)
    from defcomm_assets.report import build_report  # lazy: plotly, matplotlib, networkx only for the report

    s = _env_settings()
    db_path = _reader_db(args)
    out = Path(args.out or s.report_dir)
    try:
        con = _read_only(db_path)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        result = build_report(con, out)
    finally:
        con.close()
    print(f"report: {result.html_path} ({result.n_contacts} contacts, {result.n_countries} countries)")
    if args.open:
        webbrowser.open(Path(result.html_path).resolve().as_uri())
    return 0


READ_DB_HELP = ("DuckDB file to read (default: the snapshot the last run published, DEFCOMM_READ_DB_PATH or "
                "data/defcomm.read.duckdb)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="defcomm", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="materialize every asset (only new or changed documents are processed)")
    r.add_argument("--source", help="folder of articles (default: DEFCOMM_SOURCE_DIR or seeds/)")
    r.add_argument("--db", help="DuckDB file (default: DEFCOMM_DB_PATH or data/defcomm.duckdb); the run publishes "
                                "the analysts' snapshot beside it (X.read.duckdb)")
    r.add_argument("--full-refresh", action="store_true", help="reprocess every document")
    r.add_argument("--verbose", action="store_true", help="print Dagster's event log while running")
    r.add_argument("--lock-wait", type=float, default=900.0,
                   help="seconds to wait while another process writes the database (default 900)")
    r.set_defaults(func=cmd_run)
    q = sub.add_parser("sql", help="run a read-only SQL query and print the result")
    q.add_argument("query", help="the SQL, or - to read it from stdin")
    q.add_argument("--db", help=READ_DB_HELP)
    q.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    q.add_argument("--max-rows", type=int, default=100)
    q.add_argument("--max-width", type=int, default=200)
    q.set_defaults(func=cmd_sql)
    e = sub.add_parser("export", help="write every contract and model table (event_dyads too) to Parquet or CSV")
    e.add_argument("dir")
    e.add_argument("--format", choices=["parquet", "csv"], default="parquet",
                   help="parquet (default) or csv (one file per table; list columns as JSON text)")
    e.add_argument("--db", help=READ_DB_HELP)
    e.set_defaults(func=cmd_export)
    rp = sub.add_parser("report", help="write the HTML report from the database")
    rp.add_argument("--db", help=READ_DB_HELP)
    rp.add_argument("--out", help="folder (default: DEFCOMM_REPORT_DIR or data/report)")
    rp.add_argument("--open", action="store_true", help="open it in the browser")
    rp.set_defaults(func=cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OperatorError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
