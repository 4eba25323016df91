"""SQL text of the natural-key lookups of `ModelRegistry` (records.py).

Each function returns the head of a lookup, "SELECT ... WHERE <key expression>", to which
`db.lookup` appends the membership test and the keys as one parameter. The registered table is
always `t`. Only identifiers from model metadata are put into SQL text, never values.
"""

from __future__ import annotations

from django.db import connection, models


def _qn(name: str) -> str:
    # Straight from Django: building text needs nothing else of the database helpers.
    return connection.ops.quote_name(name)


def _column(model: type[models.Model], name: str) -> str:
    return _qn(model._meta.get_field(name).column)


def stored_text(field: models.Field, *, ref: bool = False) -> str:
    """The stored value of `field` of `t`, as text (a ref's is its target's id)."""
    expr = f"t.{_qn(field.column)}"
    if ref or not isinstance(field, (models.CharField, models.TextField)):
        expr = f"CAST({expr} AS TEXT)"
    return expr


def natural_key(parts: list[tuple[str, bool]], separator: str) -> str:
    """The natural key as one text from `(value, optional)` parts: an optional part may be
    blank, an empty string in the key."""
    return f" || '{separator}' || ".join(
        f"COALESCE({expr}, '')" if optional else expr for expr, optional in parts)


def ref_lookup(target: type[models.Model], key: str, fetched: list[str]) -> str:
    """A ref's targets by their natural key `key`: the key, the id and the `fetched` fields."""
    selected = "".join(f", t.{_column(target, name)}" for name in fetched)
    key_column = _column(target, key)
    return (f"SELECT t.{key_column}, t.{_qn(target._meta.pk.column)}{selected} "  # noqa: S608
            f"FROM {_qn(target._meta.db_table)} t WHERE t.{key_column}")


def record_lookup(model: type[models.Model], key_sql: str,
                  fixed: list[tuple[str, type[models.Model], str]]) -> str:
    """The registered records by natural key: the key, id, region and, for each fixed ref
    `(field, target, target key)`, the target's id and natural key."""
    meta = model._meta
    selected = [f"t.{_qn(meta.pk.column)}", f"t.{_qn('region_code')}"]
    joins = []
    for i, (field, target, target_key) in enumerate(fixed):
        column = _column(model, field)
        selected += [f"t.{column}", f"r{i}.{_column(target, target_key)}"]
        joins.append(f"LEFT JOIN {_qn(target._meta.db_table)} r{i} "
                     f"ON r{i}.{_qn(target._meta.pk.column)} = t.{column}")
    return (f"SELECT {key_sql}, {', '.join(selected)} FROM {_qn(meta.db_table)} t "  # noqa: S608
            f"{' '.join(joins)} WHERE {key_sql}")


def unique_lookup(model: type[models.Model], value_sql: str, key_sql: str) -> str:
    """The records holding values of a unique column: the value and the holder's key."""
    return (f"SELECT {value_sql}, {key_sql} FROM "  # noqa: S608
            f"{_qn(model._meta.db_table)} t WHERE {value_sql}")


def parent_lookup(model: type[models.Model], key: str, parent: str) -> str:
    """Records by natural key `key` with the natural key of the record their `parent` field
    points at (null for none)."""
    key_column, fk_column = _column(model, key), _column(model, parent)
    table = _qn(model._meta.db_table)
    return (f"SELECT t.{key_column}, p.{key_column} FROM {table} t "  # noqa: S608
            f"LEFT JOIN {table} p ON p.{_qn(model._meta.pk.column)} = t.{fk_column} "
            f"WHERE t.{key_column}")
