"""Word search backed by an index on each database: FTS5 on SQLite, a GIN full-text index on PostgreSQL.

What matches, on both databases alike: the query is cut into words at every character that is not a
letter or a digit ("KGT-2025-0041" is three words, "001/MOU.PL29/I/2025" five), and a row matches when
every word begins a word of one of its indexed fields. Case and accents are ignored ("ecole" finds
"École"). The folding is SQLite's FTS5 `unicode61 remove_diacritics 2`; PostgreSQL's search function
folds with the same table (`core.search_folding`), so both see the same words. Letters with a stroke
(đ, ł, ø) are letters of their own, as FTS5 has them.

An index is created by the `CreateSearchIndex` migration operation of the model's app. On SQLite it is
an external-content FTS5 table kept up to date by triggers; on PostgreSQL, a GIN index on
`simkerma_search_vector(columns...)`, plus one per column group that other lists search alone (an
agreement list searches its partners' names, not their cities).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.models import Expression, IntegerField, QuerySet
from django.db.models.sql.compiler import SQLCompiler

from simkerma.core.search import MAX_SEARCH_WORDS, search_words
from simkerma.core.search_folding import FOLD_FROM, FOLD_TO, SQLITE_TOKENIZER

_TOKEN = re.compile(r"[^\W_]+")
_REGISTRY: list[SearchIndex] = []

# The folding of one text, as SQL over `value`: the FTS5 table for accented and non-Latin letters (only
# when the text has any), lower case, and ASCII punctuation as spaces, so the text-search parser never
# sees a compound word ("a-b", "x.y", "a/b") and makes one token of it.
_FOLD_SQL = (
    "regexp_replace(lower(CASE WHEN {value} ~ '[^\\x01-\\x7f]' THEN translate({value}, '"
    + FOLD_FROM
    + "', '"
    + FOLD_TO
    + "') ELSE {value} END), '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+', ' ', 'g')"
)

POSTGRES_FUNCTIONS = [
    "CREATE OR REPLACE FUNCTION simkerma_search_vector(VARIADIC value text[]) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT to_tsvector('simple'::regconfig, "
    + _FOLD_SQL.format(value="array_to_string(value, ' ')")
    + ") $$",
    "CREATE OR REPLACE FUNCTION simkerma_search_prefix(word text) RETURNS tsquery "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT to_tsquery('simple'::regconfig, "
    "quote_literal(" + _FOLD_SQL.format(value="word") + ") || ':*') $$",
]


def declare_search_index(table: str, columns: Sequence[str], groups: Sequence[Sequence[str]] = ()) -> SearchIndex:
    """The search index of a model's table, as its app's migration creates it (`CreateSearchIndex`)."""
    index = SearchIndex(table, tuple(columns), tuple(tuple(group) for group in groups))
    _REGISTRY.append(index)
    return index


def search_tokens(query: str) -> list[str]:
    """The words searched for: letters and digits between the rest, at most MAX_SEARCH_WORDS."""
    text = unicodedata.normalize("NFC", " ".join(search_words(query)))
    return _TOKEN.findall(text)[:MAX_SEARCH_WORDS]


@dataclass(frozen=True)
class SearchIndex:
    """One table's searched columns, and the groups of them that another list searches alone."""

    table: str
    columns: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...] = ()
    pk: str = "id"

    @property
    def fts_table(self) -> str:
        return f"{self.table}_search"

    def pg_index_name(self, columns: Sequence[str]) -> str:
        return self.fts_table if tuple(columns) == self.columns else f"{self.table}_search_{'_'.join(columns)}"

    def matching(self, word: str, columns: Sequence[str] | None = None) -> IndexMatch:
        """The primary keys of the rows where `word` begins a word of `columns` (default: all)."""
        chosen = tuple(columns) if columns else self.columns
        if chosen != self.columns and chosen not in self.groups:
            raise ValueError(f"{chosen} is not a searched column group of {self.table}")
        return IndexMatch(self, word, chosen)


class IndexMatch(Expression):
    """A subquery of matching primary keys, for `pk__in=`; the SQL depends on the database."""

    def __init__(self, index: SearchIndex, word: str, columns: tuple[str, ...]) -> None:
        super().__init__(output_field=IntegerField())
        self.index, self.word, self.columns = index, word, columns

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        raise NotSupportedError(f"Indexed search needs SQLite or PostgreSQL, not {connection.vendor}.")

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        table = connection.ops.quote_name(self.index.fts_table)
        # A quoted phrase: the user's text is never read as FTS5 syntax (AND, NEAR, *, ^, column names).
        term = '"' + self.word.replace('"', '""') + '"*'
        if self.columns != self.index.columns:
            term = "{" + " ".join(self.columns) + "} : " + term
        sql = f"(SELECT rowid FROM {table} WHERE {table} MATCH %s)"  # noqa: S608 (our table, the term a parameter)
        return sql, [term]

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in self.columns)
        return (
            f"(SELECT {quote(self.index.pk)} FROM {quote(self.index.table)} "  # noqa: S608 (names quoted, the word a parameter)
            f"WHERE simkerma_search_vector({columns}) @@ simkerma_search_prefix(%s))",
            [self.word],
        )


def indexed_search(
    queryset: QuerySet[Any],
    query: str,
    index: SearchIndex,
    extra: Callable[[str], QuerySet[Any]] | None = None,
) -> QuerySet[Any]:
    """Keep the rows where every word of `query` begins a word of the index's columns.

    `extra(word)` may give more rows a word finds, as a QuerySet of their primary keys, such as the
    rows whose partner is named by it; build it from another index's `matching()`, so it is indexed
    too. The two are one `pk IN (… UNION ALL …)`, which both databases answer from the indexes (an
    OR of two subqueries made PostgreSQL read the whole table). A query with no letters or digits
    matches nothing.
    """
    words = search_tokens(query)
    if not words:
        return queryset.none()
    for word in words:
        if extra is None:
            queryset = queryset.filter(pk__in=index.matching(word))
            continue
        own = queryset.model._default_manager.filter(pk__in=index.matching(word)).order_by().values("pk")
        queryset = queryset.filter(pk__in=own.union(extra(word).order_by(), all=True))
    return queryset


# Creating, filling and dropping an index on each database.


def _sqlite_triggers(index: SearchIndex) -> list[str]:
    table, fts = index.table, index.fts_table
    columns = ", ".join(index.columns)
    new = ", ".join(f"new.{column}" for column in index.columns)
    old = ", ".join(f"old.{column}" for column in index.columns)
    remove = f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.{index.pk}, {old});"  # noqa: S608 (declared names)
    add = f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.{index.pk}, {new});"  # noqa: S608 (declared names)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {index.pk}, {columns} ON {table} "
        f"BEGIN {remove} {add} END",
    ]


def _sqlite_create(index: SearchIndex) -> list[str]:
    fts = index.fts_table
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({', '.join(index.columns)}, "
        f"content='{index.table}', content_rowid='{index.pk}', tokenize=\"{SQLITE_TOKENIZER}\", "
        "prefix='2 3')",
        *_sqlite_triggers(index),
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608 (a declared name)
    ]


def _postgres_create(index: SearchIndex) -> list[str]:
    statements = list(POSTGRES_FUNCTIONS)
    for columns in (index.columns, *index.groups):
        statements.append(
            f"CREATE INDEX IF NOT EXISTS {index.pg_index_name(columns)} ON {index.table} "
            f"USING gin (simkerma_search_vector({', '.join(columns)}))"
        )
    # Statistics on the new expressions, so the planner can tell how few rows a word finds.
    statements.append(f"ANALYZE {index.table}")
    return statements


def _drop(index: SearchIndex, vendor: str) -> list[str]:
    if vendor == "sqlite":
        fts = index.fts_table
        triggers = [f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in ("insert", "delete", "update")]
        return [*triggers, f"DROP TABLE IF EXISTS {fts}"]
    if vendor == "postgresql":
        return [f"DROP INDEX IF EXISTS {index.pg_index_name(c)}" for c in (index.columns, *index.groups)]
    return []


def create_statements(index: SearchIndex, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_create(index)
    if vendor == "postgresql":
        return _postgres_create(index)
    return []


class CreateSearchIndex(Operation):
    """A migration operation: the search index of one table, built for the rows already there."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, *, table: str, columns: Sequence[str], groups: Sequence[Sequence[str]] = ()) -> None:
        self.table, self.columns, self.groups = table, tuple(columns), tuple(tuple(g) for g in groups)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [], {"table": self.table, "columns": self.columns, "groups": self.groups}

    def _index(self) -> SearchIndex:
        return SearchIndex(self.table, self.columns, self.groups)

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, *args: Any) -> None:
        for statement in create_statements(self._index(), schema_editor.connection.vendor):
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, *args: Any) -> None:
        for statement in _drop(self._index(), schema_editor.connection.vendor):
            schema_editor.execute(statement, params=None)

    def describe(self) -> str:
        return f"Search index on {self.table} ({', '.join(self.columns)})"


def restore_sqlite_triggers(*, using: str = "default", **kwargs: Any) -> None:
    """Put back the triggers that a table rebuilt by a later SQLite migration lost, and refill its index.

    SQLite alters a column by copying the table and dropping the old one, which drops its triggers.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        for index in _REGISTRY:
            if index.fts_table not in present or f"{index.fts_table}_update" in present:
                continue
            for statement in _sqlite_create(index):
                cursor.execute(statement)
