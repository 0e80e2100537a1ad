"""Copying a whole desk into an empty database: SQLite to PostgreSQL (or back), history and all.

The exchange format carries what a clerk sees of an order, not its past: note revisions, the
timeline, who changed what and when, and unsaved drafts would be lost in an export and import. A
copy takes every row as it is, ids included, so nothing is rewritten:

- the source is read in one snapshot (a deferred transaction: clerks may keep working, but what
  they save after the snapshot is not copied, so stop the desks for a move);
- the destination is migrated to the same schema, must hold no orders, and is written in one
  transaction: a failed copy leaves it empty;
- rows go in foreign-key order (file content a few chunks at a time: memory stays small), a
  self-reference (a correction pointing at a later entry) in a second pass, and PostgreSQL's id
  sequences are moved past the copied ids afterwards, so new rows just work;
- into SQLite, the search index is built once at the end (store.search_index's bulk-load recipe);
  PostgreSQL's pg_trgm indexes follow the rows by themselves.

Presence (heartbeats that go stale in seconds) and the change counter (each database has its own)
are not copied.
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from notedesk.store import connection, errors, search_index, targets, upgrade
from notedesk.store import models as m

SKIPPED = (m.Presence, m.ChangeCounter)
# Bound parameters per INSERT: SQLite >= 3.32 allows 32766, PostgreSQL 65535.
PARAMETERS_PER_INSERT = 30000
BLOB_ROWS = 8  # rows of file content (<= 1 MB each) read and written at a time


@dataclass(frozen=True)
class CopyReport:
    source: str  # redacted, fit to print
    dest: str
    rows: dict[str, int]  # table -> rows copied
    schema: str | None

    @property
    def orders(self) -> int:
        return self.rows.get(m.Order._meta.table_name, 0)


def copied_models() -> list[type[peewee.Model]]:
    return [model for model in m.MODELS if model not in SKIPPED]


def _self_references(model) -> list[peewee.ForeignKeyField]:
    return [f for f in model._meta.sorted_fields if isinstance(f, peewee.ForeignKeyField) and f.rel_model is model]


def _same_target(a: str, b: str) -> bool:
    pa, pb = targets.sqlite_path(a), targets.sqlite_path(b)
    if pa is not None and pb is not None:
        return pa.resolve() == pb.resolve()
    return a == b


def copy_database(source_target: str, dest_target: str) -> CopyReport:
    """Copy every notedesk row from `source_target` into the empty `dest_target`. Raises StoreError."""
    if _same_target(source_target, dest_target):
        raise errors.StoreError("the source and the destination are the same database")
    source = connection.prepare_database(source_target)
    dest = connection.prepare_database(dest_target)
    models = copied_models()
    rows: dict[str, int] = {}
    try:
        with errors.translated_errors():
            source_version = upgrade.schema_version(source)
            dest_version = upgrade.schema_version(dest)
            if source_version != dest_version:  # both were just upgraded to this notedesk's newest
                raise errors.StoreError(
                    f"the schemas differ ({source_version} and {dest_version}): upgrade notedesk")
            with source.atomic(lock_type="DEFERRED"), dest.atomic():
                _refuse_non_empty(dest, models, targets.describe_target(dest_target))
                sqlite_dest = isinstance(dest, peewee.SqliteDatabase)
                if sqlite_dest:  # a bulk load: index once at the end, not row by row through triggers
                    search_index.drop_triggers(dest.connection())
                for model in models:
                    rows[model._meta.table_name] = _copy_table(model, source, dest)
                if sqlite_dest:
                    search_index.install(dest.connection())
                    search_index.rebuild(dest.connection())
                else:  # PostgreSQL's pg_trgm indexes keep themselves; its id sequences do not
                    _move_sequences(dest, models)
    finally:
        for database in (source, dest):
            database.close()
            if connection.has_pool(database):
                database.close_idle()  # type: ignore[attr-defined]  # a pooled database
    return CopyReport(targets.describe_target(source_target), targets.describe_target(dest_target),
                      rows, source_version)


def _refuse_non_empty(dest: peewee.Database, models, where: str) -> None:
    for model in models:
        if model.select().exists(dest):
            count = model.select().count(dest)
            raise errors.StoreError(
                f"{where} is not empty ({count} rows in {model._meta.table_name}): copy into a new database")


def _rows(model, source: peewee.Database):
    """Every row of `model` in id order. A table of file content (attachment chunks, up to a megabyte a
    row) is read BLOB_ROWS rows per query: a PostgreSQL cursor holds its whole result in memory."""
    pk = model._meta.primary_key
    if not any(isinstance(f, peewee.BlobField) for f in model._meta.sorted_fields):
        yield from model.select().order_by(pk).dicts().iterator(source)
        return
    last = None
    while True:
        query = model.select().order_by(pk).limit(BLOB_ROWS).dicts()
        page = list((query if last is None else query.where(pk > last)).execute(source))
        yield from page
        if len(page) < BLOB_ROWS:
            return
        last = page[-1][pk.name]


def _copy_table(model, source: peewee.Database, dest: peewee.Database) -> int:
    selfrefs = _self_references(model)
    chunk = max(1, PARAMETERS_PER_INSERT // len(model._meta.sorted_fields))
    if any(isinstance(f, peewee.BlobField) for f in model._meta.sorted_fields):
        chunk = BLOB_ROWS
    pending_refs: list[tuple[int, dict]] = []
    batch: list[dict] = []
    count = 0
    for row in _rows(model, source):
        if selfrefs:  # a correction may point at a later entry: set the link after all rows exist
            links = {f.name: row[f.name] for f in selfrefs if row[f.name] is not None}
            if links:
                pending_refs.append((row[model._meta.primary_key.name], links))
                row = {**row, **dict.fromkeys(links)}
        batch.append(row)
        if len(batch) >= chunk:
            _insert(model, batch, dest)
            count += len(batch)
            batch = []
    if batch:
        _insert(model, batch, dest)
        count += len(batch)
    pk = model._meta.primary_key
    for key, links in pending_refs:
        model.update(**links).where(pk == key).execute(dest)
    return count


def _insert(model, batch: list[dict], dest: peewee.Database) -> None:
    blobs = [f.name for f in model._meta.sorted_fields if isinstance(f, peewee.BlobField)]
    if blobs:  # bytes as they are: BlobField would wrap them in the models' own engine's binary type
        batch = [{**row, **{name: peewee.Value(bytes(row[name]), unpack=False)
                            for name in blobs if row[name] is not None}} for row in batch]
    # as_rowcount: no RETURNING of the ids, which the models' own (other) database would ask for
    model.insert_many(batch).as_rowcount().execute(dest)


def _move_sequences(dest: peewee.Database, models) -> None:
    """Rows came with their ids: each id sequence must continue after the highest one."""
    for model in models:
        table, pk = model._meta.table_name, model._meta.primary_key.column_name
        dest.execute_sql(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{pk}"), 1), MAX("{pk}") IS NOT NULL) '
            f'FROM "{table}"', (table, pk))
