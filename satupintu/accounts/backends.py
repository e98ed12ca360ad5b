"""The sign-in backend: Django's `ModelBackend`, reading the signed-in user of each request in one
statement that also brings the user's region and agency.

Every signed-in page reads its user, and most read the user's region (the header names it; the area
scoping of `accounts/scoping.py` filters by it); a partner agency's pages name its agency. Through
the ORM that is a query compiled on every request and a second query for the region or the agency:
about 0.7 ms of a page that otherwise takes 2-3 ms. Here the statement is written once per process
from the models' columns and the row is turned into model instances as the ORM does
(`Model.from_db`, with the database's converters), so the user is the same object the ORM would
give, its region and agency already in place. Signing in itself (`authenticate`, the password
check) is Django's.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

# The user's foreign keys read with it: the region (header, area scoping), the agency (a mitra's pages).
RELATED = ("region", "agency")


@cache
def _statement(alias: str):
    """(SQL, the user's fields, [(relation, its model's fields)]) for the database `alias`."""
    user_model = get_user_model()
    quote = connections[alias].ops.quote_name
    user_fields = list(user_model._meta.concrete_fields)
    columns = [f"u.{quote(f.column)}" for f in user_fields]
    joins, related = [], []
    for number, name in enumerate(RELATED):
        field = user_model._meta.get_field(name)
        model = field.related_model
        fields = list(model._meta.concrete_fields)
        columns += [f"r{number}.{quote(f.column)}" for f in fields]
        joins.append(
            f"LEFT JOIN {quote(model._meta.db_table)} r{number} "
            f"ON r{number}.{quote(model._meta.pk.column)} = u.{quote(field.column)}"
        )
        related.append((field, fields))
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(user_model._meta.db_table)} u {' '.join(joins)} "  # noqa: S608  names from the models
        f"WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )
    return sql, user_fields, related


def _converted(alias: str, fields, values) -> list:
    """The row's values as the ORM would give them (e.g. SQLite's datetimes, booleans)."""
    connection = connections[alias]
    result = []
    for field, value in zip(fields, values, strict=True):
        expression = field.get_col(field.model._meta.db_table)
        for converter in connection.ops.get_db_converters(expression) + field.get_db_converters(connection):
            value = converter(value, expression, connection)
        result.append(value)
    return result


def load_user(user_id):
    """The user with this primary key, its region and agency loaded with it, or None."""
    user_model = get_user_model()
    try:
        pk = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    alias = router.db_for_read(user_model)
    sql, user_fields, related = _statement(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    user_values = _converted(alias, user_fields, row[: len(user_fields)])
    user = user_model.from_db(alias, [f.attname for f in user_fields], user_values)
    position = len(user_fields)
    for field, fields in related:
        values = row[position : position + len(fields)]
        position += len(fields)
        model = field.related_model
        instance = None
        if values[fields.index(model._meta.pk)] is not None:
            instance = model.from_db(alias, [f.attname for f in fields], _converted(alias, fields, values))
        field.set_cached_value(user, instance)
    return user


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
