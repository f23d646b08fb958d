"""The dbt-like SQL layer: one SELECT per file in ``dbt_like_sql/``, documented in ``schema.yml``.

Loading the folder parses every file with sqlglot, finds its upstream tables (table references
minus CTE names), checks them against the stage tables, the vocabulary tables and the other models,
orders the models and rejects cycles, and turns the ``schema.yml`` tests into SQL that counts failing
rows. Every problem is a ``SqlModelError`` naming the file. No Dagster import here.

The closed lists of ``core/vocabulary.py`` reach the SQL in two ways, both read when the models are
loaded or built (so a type added there needs no SQL or YAML edit):

* ``vocabulary_event_types``, ``vocabulary_topics``, ``vocabulary_statuses``, ``vocabulary_cameo_codes``
  and ``vocabulary_countries`` (alpha-2 -> alpha-3), small tables (like dbt seeds) that ``SqlModel.build``
  writes before a model that reads them; they stay in the database, so a model file runs unchanged in the
  ``duckdb`` shell (``network_edges`` pivots over the event types);
* in ``schema.yml``, ``accepted_values: {values_from: event_types}`` (or ``topics``, ``statuses``,
  ``cameo_codes``, ``plover_types``, ``plover_modes``, ``countries_alpha3``) and a
  column entry with ``for_each: event_types`` whose ``name`` and ``description`` are formatted with each
  type's fields (``n_{name}``: one documented column per type).
"""
from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import sqlglot
import yaml
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import lineage

from defcomm_assets.core import vocabulary
from defcomm_assets.core.db import TABLES

DEFAULT_SQL_DIR = Path(__file__).resolve().parents[2] / "dbt_like_sql"
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
BLOCKING_BY_DEFAULT = {"unique", "not_null", "unique_combination_of_columns", "relationships"}


class SqlModelError(Exception):
    """A model file (or schema.yml) is wrong; the message names the file."""


# ------------------------------------------------------------------------------------------ the vocabulary
@dataclass(frozen=True)
class _Status:
    name: str
    description: str


# closed list name (as schema.yml says it) -> its records, read from core.vocabulary at each call (countries: from
# pycountry, once, when asked for)
def _closed_lists() -> dict[str, tuple]:
    return {
        "event_types": vocabulary.EVENT_TYPE_RECORDS,
        "topics": vocabulary.TOPIC_RECORDS,
        "statuses": tuple(
            _Status(name, description) for name, description in vocabulary.EVENT_STATUS_DESCRIPTIONS.items()
        ),
        "cameo_codes": vocabulary.CAMEO_CODE_RECORDS,
    }


def _value_lists() -> dict[str, tuple[str, ...]]:
    """The closed lists that are plain values (no table of records): accepted values only."""
    return {"plover_types": vocabulary.PLOVER_TYPES, "plover_modes": vocabulary.PLOVER_MODES,
            "countries_alpha3": tuple(dict.fromkeys(c.alpha3 for c in vocabulary.country_records()))}


def _records(name: str) -> tuple:
    return vocabulary.country_records() if name == "countries" else _closed_lists()[name]


def closed_list(name: str) -> tuple[str, ...]:
    """The values of a closed list of the vocabulary: ``event_types``, ``topics``, ``statuses``, ``cameo_codes``
    (a record's name, or its code), ``plover_types``, ``plover_modes`` or ``countries_alpha3``."""
    if name in _value_lists():
        return tuple(_value_lists()[name])
    return tuple(getattr(r, "name", None) or r.code for r in _records(name))


def _list_names() -> tuple[str, ...]:
    return (*_closed_lists(), *_value_lists())


VOCABULARY_TABLES: dict[str, str] = {  # table -> the closed list it holds
    "vocabulary_event_types": "event_types",
    "vocabulary_topics": "topics",
    "vocabulary_statuses": "statuses",
    "vocabulary_cameo_codes": "cameo_codes",
    "vocabulary_countries": "countries",
}


def write_vocabulary_tables(con, tables=VOCABULARY_TABLES) -> None:
    """(Re)write the vocabulary tables from ``core.vocabulary``: ``position`` (1-based, the vocabulary's order),
    then every field of its records (name, label, color, ... for the event types)."""
    for table in tables:
        records = _records(VOCABULARY_TABLES[table])
        fields = dataclasses.fields(records[0])
        sql_type = {bool: "BOOLEAN", "bool": "BOOLEAN"}  # every other field is a string
        cols = ", ".join(["position INTEGER"] + [f'"{f.name}" {sql_type.get(f.type, "VARCHAR")}' for f in fields])
        con.execute(f"CREATE OR REPLACE TABLE {table} ({cols})")
        con.executemany(f"INSERT INTO {table} VALUES ({', '.join(['?'] * (len(fields) + 1))})",
                        [[i, *dataclasses.astuple(r)] for i, r in enumerate(records, 1)])


@dataclass(frozen=True)
class ModelTest:
    name: str  # check name, unique per model, e.g. "not_null_country_a"
    kind: str
    column: str | None
    sql: str  # SELECT count(*) of failing rows
    params: tuple = ()
    blocking: bool = True
    description: str = ""


@dataclass
class SqlModel:
    name: str
    path: Path
    sql: str
    upstream: tuple[str, ...]  # the stage tables and models it reads
    description: str = ""
    vocabulary_tables: tuple[str, ...] = ()  # the vocabulary tables it reads (written before it runs)
    column_descriptions: dict[str, str] = field(default_factory=dict)
    tests: list[ModelTest] = field(default_factory=list)

    @cached_property
    def create_sql(self) -> str:
        return f"CREATE OR REPLACE TABLE {self.name} AS\n{self.sql}"

    def build(self, con) -> None:
        """Write the vocabulary tables the model reads, then the model's table (the caller holds the transaction)."""
        if self.vocabulary_tables:
            write_vocabulary_tables(con, self.vocabulary_tables)
        con.execute(self.create_sql)


def _strip_sql(text: str) -> str:
    return text.strip().rstrip(";").strip()


def table_references(sql: str, path: Path | str = "<sql>") -> tuple[str, ...]:
    """Tables a SELECT reads: every table reference except the names of its own CTEs."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except SqlglotError as exc:
        raise SqlModelError(f"{path}: cannot parse SQL: {str(exc).splitlines()[0]}") from None
    if len(statements) != 1 or not isinstance(statements[0], (exp.Query,)):
        raise SqlModelError(f"{path}: must hold exactly one SELECT statement")
    tree = statements[0]
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    names = set()
    for table in tree.find_all(exp.Table):
        if not table.name or isinstance(table.this, exp.Func):
            continue  # table functions such as unnest(...)
        if table.name not in ctes:
            names.add(table.name)
    return tuple(sorted(names))


def _column_test(model: str, column: str | None, test, path: Path, known_tables: set[str]) -> ModelTest:
    if isinstance(test, str):
        kind, args = test, {}
    elif isinstance(test, dict) and len(test) == 1:
        kind, args = next(iter(test.items()))
        args = dict(args or {})
    else:
        raise SqlModelError(f"{path}: schema.yml: cannot read test {test!r} of {model}.{column}")
    config = args.pop("config", {}) or {}
    severity = str(config.get("severity", "error" if kind in BLOCKING_BY_DEFAULT else "warn")).lower()
    blocking = severity == "error"
    col = column
    if col is not None and not IDENTIFIER.match(col):
        raise SqlModelError(f"{path}: schema.yml: bad column name {col!r}")
    if kind == "not_null":
        return ModelTest(f"not_null_{col}", kind, col, f'SELECT count(*) FROM {model} WHERE "{col}" IS NULL',
                         blocking=blocking, description=f"{col} is never NULL")
    if kind == "unique":
        return ModelTest(f"unique_{col}", kind, col,
                         f'SELECT count(*) FROM (SELECT "{col}" FROM {model} WHERE "{col}" IS NOT NULL '
                         f'GROUP BY 1 HAVING count(*) > 1)', blocking=blocking, description=f"{col} is unique")
    if kind == "accepted_values":
        values = args.get("values")
        if "values_from" in args:
            source = args["values_from"]
            if values is not None or source not in _list_names():
                raise SqlModelError(f"{path}: schema.yml: accepted_values of {model}.{col}: values_from must be one of "
                                    f"{', '.join(_list_names())} (and no values list)")
            values = list(closed_list(source))
        if not isinstance(values, list) or not values:
            raise SqlModelError(f"{path}: schema.yml: accepted_values of {model}.{col} needs a list of values "
                                "(or values_from: a closed list of core/vocabulary.py)")
        return ModelTest(f"accepted_values_{col}", kind, col,
                         f'SELECT count(*) FROM {model} WHERE "{col}" IS NOT NULL '
                         f'AND CAST("{col}" AS VARCHAR) NOT IN (SELECT unnest(?))',
                         params=([str(v) for v in values],), blocking=blocking,
                         description=f"{col} is one of {', '.join(map(str, values))}")
    if kind == "relationships":
        to = str(args.get("to", ""))
        m = re.fullmatch(r"\s*ref\(\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\s*\)\s*|([A-Za-z_][A-Za-z0-9_]*)", to)
        target = m and (m.group(1) or m.group(2))
        fld = str(args.get("field", ""))
        if not target or not IDENTIFIER.match(fld):
            raise SqlModelError(f"{path}: schema.yml: relationships of {model}.{col} needs to: ref('table') and field")
        if target not in known_tables:
            raise SqlModelError(f"{path}: schema.yml: relationships of {model}.{col} refers to unknown table {target}")
        return ModelTest(f"relationships_{col}_{target}", kind, col,
                         f'SELECT count(*) FROM {model} WHERE "{col}" IS NOT NULL '
                         f'AND "{col}" NOT IN (SELECT "{fld}" FROM {target} WHERE "{fld}" IS NOT NULL)',
                         blocking=blocking, description=f"every {col} is a {target}.{fld}")
    if kind == "unique_combination_of_columns":
        cols = args.get("combination_of_columns")
        if not isinstance(cols, list) or not cols or not all(isinstance(c, str) and IDENTIFIER.match(c) for c in cols):
            raise SqlModelError(f"{path}: schema.yml: unique_combination_of_columns of {model} needs column names")
        quoted = ", ".join(f'"{c}"' for c in cols)
        return ModelTest("unique_" + "_".join(cols), kind, None,
                         f"SELECT count(*) FROM (SELECT {quoted} FROM {model} GROUP BY ALL HAVING count(*) > 1)",
                         blocking=blocking, description=f"({', '.join(cols)}) is unique")
    raise SqlModelError(f"{path}: schema.yml: unknown test {kind!r} on {model}.{col}")


def load_models(sql_dir: str | Path = DEFAULT_SQL_DIR, stage_tables: set[str] | None = None) -> list[SqlModel]:
    """Every model of the folder, in dependency order. Raises SqlModelError naming the file at fault."""
    sql_dir = Path(sql_dir)
    stage_tables = set(TABLES) if stage_tables is None else set(stage_tables)
    stage_tables -= set(VOCABULARY_TABLES)
    if not sql_dir.is_dir():
        raise SqlModelError(f"{sql_dir}: SQL model folder not found")
    models: dict[str, SqlModel] = {}
    for path in sorted(sql_dir.glob("*.sql")):
        name = path.stem
        if not IDENTIFIER.match(name):
            raise SqlModelError(f"{path}: a model's file name must be a plain table name (letters, digits, _)")
        if name in stage_tables or name in VOCABULARY_TABLES:
            raise SqlModelError(f"{path}: model name {name} is a stage table or a vocabulary table")
        sql = _strip_sql(path.read_text(encoding="utf-8"))
        refs = table_references(sql, path)
        models[name] = SqlModel(name=name, path=path, sql=sql,
                                upstream=tuple(t for t in refs if t not in VOCABULARY_TABLES),
                                vocabulary_tables=tuple(t for t in refs if t in VOCABULARY_TABLES))
    for m in models.values():
        unknown = [t for t in m.upstream if t not in stage_tables and t not in models]
        if unknown:
            raise SqlModelError(f"{m.path}: unknown table {', '.join(unknown)} (not a stage table or a model)")
    _attach_schema(sql_dir, models, stage_tables)
    return _ordered(models)


def _attach_schema(sql_dir: Path, models: dict[str, SqlModel], stage_tables: set[str]) -> None:
    schema_path = sql_dir / "schema.yml"
    if not schema_path.exists():
        return
    try:
        schema = yaml.safe_load(schema_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SqlModelError(f"{schema_path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    known_tables = stage_tables | set(models)
    for entry in schema.get("models") or []:
        name = entry.get("name")
        if name not in models:
            raise SqlModelError(f"{schema_path}: documents model {name!r}, which has no .sql file")
        m = models[name]
        m.description = (entry.get("description") or "").strip()
        for test in entry.get("tests") or []:
            m.tests.append(_column_test(name, None, test, schema_path, known_tables))
        for col in _columns(entry.get("columns") or [], schema_path, name):
            cname = col.get("name")
            m.column_descriptions[cname] = (col.get("description") or "").strip()
            for test in col.get("tests") or []:
                m.tests.append(_column_test(name, cname, test, schema_path, known_tables))


def _columns(entries: list, path: Path, model: str) -> list[dict]:
    """The column entries, an entry with ``for_each: <closed list>`` expanded to one column per value of the list
    (its name and description formatted with the fields of each record: ``n_{name}``, ``{label}``)."""
    out = []
    for col in entries:
        source = col.get("for_each") if isinstance(col, dict) else None
        if source is None:
            out.append(col)
            continue
        lists = _closed_lists()
        if source not in lists:
            raise SqlModelError(f"{path}: schema.yml: for_each of {model} must be one of {', '.join(lists)}")
        for record in lists[source]:
            fields = vars(record)
            try:
                out.append({**col, "name": str(col.get("name", "")).format(**fields),
                            "description": str(col.get("description") or "").format(**fields)})
            except (KeyError, IndexError, ValueError) as exc:
                raise SqlModelError(f"{path}: schema.yml: for_each column of {model}: cannot format {exc}") from None
    return out


def _ordered(models: dict[str, SqlModel]) -> list[SqlModel]:
    order: list[SqlModel] = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = " -> ".join(trail[trail.index(name):] + [name])
            raise SqlModelError(f"{models[name].path}: dependency cycle {cycle}")
        state[name] = 1
        for up in models[name].upstream:
            if up in models:
                visit(up, trail + [name])
        state[name] = 2
        order.append(models[name])

    for name in sorted(models):
        visit(name, [])
    return order


def _pivot_sources(tree: exp.Expression) -> list[exp.Query]:
    """For each PIVOT of the query: a SELECT of the columns its values come from (the ON column and the USING
    aggregates' arguments, over the PIVOT's input, with the query's CTEs), for lineage."""
    queries = []
    with_ = tree.args.get("with_") or tree.args.get("with")
    for pivot in tree.find_all(exp.Pivot):
        source = pivot.this
        if source is None:
            continue
        cols = [e.this for e in pivot.expressions if isinstance(e, exp.In)]
        cols += [c for agg in pivot.args.get("using") or [] for c in agg.find_all(exp.Column)]
        if not cols:
            continue
        from_ = source.copy() if isinstance(source, exp.Subquery) else exp.Table(this=source.copy())
        q = exp.select(*[exp.alias_(c.copy(), f"_pivot_{i}") for i, c in enumerate(cols)]).from_(from_)
        if with_ is not None:
            q.set("with_" if "with_" in tree.args else "with", with_.copy())
        queries.append(q)
    return queries


def column_lineage(model: SqlModel, schemas: dict[str, dict[str, str]],
                   output_columns: list[str] | None = None) -> dict[str, list[tuple[str, str]]]:
    """Output column -> [(upstream table, column)] from sqlglot's lineage; columns it cannot trace are left out.

    sqlglot does not trace through a PIVOT: the columns of ``output_columns`` (what the model produced) it
    cannot trace get, when the model has a PIVOT, the columns the pivoted values come from."""
    out: dict[str, list[tuple[str, str]]] = {}
    try:
        tree = sqlglot.parse_one(model.sql, read="duckdb")
        columns = [s.alias_or_name for s in tree.selects] if isinstance(tree, exp.Query) else []
    except SqlglotError:
        return out
    sqlglot_log = logging.getLogger("sqlglot")
    level = sqlglot_log.level
    sqlglot_log.setLevel(logging.ERROR)  # "Cannot traverse scope PIVOT ...": the fallback below covers it
    try:
        out = _lineage(tree, columns, schemas, lineage)
        untraced = [c for c in output_columns or [] if c not in out]
        if untraced:
            deps = set()
            for q in _pivot_sources(tree):
                for cols in _lineage(q, [s.alias_or_name for s in q.selects], schemas, lineage).values():
                    deps.update(cols)
            if deps:
                out.update({c: sorted(deps) for c in untraced})
    finally:
        sqlglot_log.setLevel(level)
    return out


def _lineage(tree: exp.Expression, columns: list[str], schemas, lineage) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    try:
        # every column in one walk (sqlglot shares the qualification and scope work between them)
        nodes = lineage(None, tree.copy(), schema=schemas, dialect="duckdb")
    except Exception:  # lineage is best-effort metadata: trace column by column, skipping what sqlglot cannot
        nodes = {}
        for col in columns:
            if col:
                try:
                    nodes[col] = lineage(col, tree.copy(), schema=schemas, dialect="duckdb")
                except Exception:
                    continue
    for col in columns:
        node = nodes.get(col) if col else None
        if node is None:
            continue
        deps = set()
        for n in node.walk():
            if isinstance(n.expression, exp.Table) or (n.source is not None and isinstance(n.source, exp.Table)
                                                        and not n.downstream):
                table = n.source.name if isinstance(n.source, exp.Table) else n.expression.name
                column = n.name.split(".")[-1]
                if table in schemas and column in schemas[table]:
                    deps.add((table, column))
        if deps:
            out[col] = sorted(deps)
    return out
