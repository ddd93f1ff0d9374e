"""Multi-row INSERTs for imports: one statement per table run with executemany, no model instance per row.

Django's bulk_create builds a model and compiles every value of every row, which costs more than reading the
workbook itself; an import of 100,000 rows has to stay within twice openpyxl's reading time. The statement is
built from the model's own fields, so a field added later gets its default (or a clear error if it has none),
and every value goes through the database backend's own adapters. SQLite gets an executemany of one INSERT,
PostgreSQL a COPY.
"""

from collections.abc import Iterable, Sequence
from functools import partial

from django.db import connection, models

BATCH = 5000
# Python values these fields hold go to both databases' drivers as they are.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _converter(field: models.Field):
    """How to hand one value of `field` to the driver; None when it passes as it is."""
    ops = connection.ops
    if isinstance(field, _AS_IS):
        return None
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return partial(ops.adapt_decimalfield_value, max_digits=field.max_digits,
                       decimal_places=field.decimal_places)
    return partial(field.get_db_prep_save, connection=connection)


def _batches(rows: Iterable, size: int):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence], *,
                constants: dict | None = None) -> None:
    """INSERT `rows` (values for the fields named by attname in `columns`) into `model`'s table.

    `constants` gives one value for every row; any other field gets its default. The primary key is left
    to the database. Call it inside the caller's transaction.
    """
    constants = constants or {}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    by_attname = {f.attname: f for f in fields}
    varying = [by_attname[name] for name in columns]
    fixed_fields, fixed_values = [], []
    for field in fields:
        if field.attname in columns:
            continue
        value = constants[field.attname] if field.attname in constants else field.get_default()
        if value is None and not field.null:
            raise ValueError(f"{model.__name__}.{field.name} needs a value for a bulk insert")
        fixed_fields.append(field)
        fixed_values.append(field.get_db_prep_save(value, connection))
    fixed_values = tuple(fixed_values)
    convert = [(i, c) for i, c in enumerate(_converter(f) for f in varying) if c is not None]

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in (*varying, *fixed_fields))

    def prepared(row):
        if convert:
            row = list(row)
            for index, adapt in convert:
                if row[index] is not None:
                    row[index] = adapt(row[index])
        return (*row, *fixed_values)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one command; executemany would send one INSERT per row.
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
            return
        placeholders = ", ".join(["%s"] * (len(varying) + len(fixed_fields)))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - quoted names only
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, [prepared(row) for row in batch])
