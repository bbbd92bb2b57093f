"""Querysets compiled to SQL once per process and run again with new values.

Django turns a queryset into SQL each time it is evaluated. For the version
queries of the PDFs (one SELECT of some thirty subqueries) that costs several
milliseconds, many times what the database takes to answer, on every request
for a cached PDF. A `PreparedQuery` builds its queryset once with stand-in
values, keeps the SQL, and learns where each stand-in lands among the
parameters; later runs swap the real values in and send the same SQL. The
queryset still comes from the models' own querysets (visibility rules
included), so nothing is written twice.

It checks itself when compiling: the SQL must not change with the values,
every stand-in must be found, and two builds with the same values must give
the same parameters (a rule on "now" reads the database's clock, `Now()`,
rather than a parameter). Otherwise the query is compiled afresh every time,
which is slower but gives the same answer.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # Parameter position -> name of the value that goes there.
    slots: tuple[tuple[int, str], ...]


class PreparedQuery:
    """A queryset of one row, built by `build(**values)` from string values.

    `stand_ins` gives, for each value `build` takes, a string that cannot
    occur in the data (it is only compiled, never run).
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **stand_ins: str) -> None:
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: dict[str, _Compiled | None] = {}
        self._lock = threading.Lock()

    def fetch(self, *, using: str = "default", **values: str) -> dict[str, Any] | None:
        """The row (column alias -> value as the database driver returns it),
        or None when there is none."""
        compiled = self._compiled_for(using)
        connection = connections[using]
        if compiled is None:
            sql, params = self._sql(using, values)
        else:
            sql = compiled.sql
            given = list(compiled.params)
            for position, name in compiled.slots:
                given[position] = values[name]
            params = tuple(given)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is None:
                return None
            names = [column[0] for column in cursor.description]
        return dict(zip(names, row, strict=True))

    def _sql(self, using: str, values: dict[str, str]) -> tuple[str, tuple[Any, ...]]:
        queryset = self._build(**values)
        sql, params = queryset.query.get_compiler(using=using).as_sql()
        return sql, tuple(params)

    def _compiled_for(self, using: str) -> _Compiled | None:
        if using not in self._compiled:
            with self._lock:
                if using not in self._compiled:
                    self._compiled[using] = self._compile(using)
        return self._compiled[using]

    def _compile(self, using: str) -> _Compiled | None:
        sql, params = self._sql(using, self._stand_ins)
        # The same values a moment later must give the same query.
        time.sleep(0.001)
        if self._sql(using, self._stand_ins) != (sql, params):
            self._give_up("it changes from one build to the next")
            return None
        slots: list[tuple[int, str]] = []
        for name, stand_in in self._stand_ins.items():
            other = {**self._stand_ins, name: stand_in + "-other"}
            other_sql, changed = self._sql(using, other)
            if other_sql != sql or len(changed) != len(params):
                self._give_up(f"value {name!r}")
                return None
            positions = [
                i
                for i, (a, b) in enumerate(zip(params, changed, strict=True))
                if a != b
            ]
            if not positions or any(params[i] != stand_in for i in positions):
                self._give_up(f"value {name!r}")
                return None
            slots.extend((i, name) for i in positions)
        return _Compiled(sql=sql, params=params, slots=tuple(slots))

    def _give_up(self, reason: str) -> None:
        logger.warning(
            "Query %s could not be prepared (%s): it is compiled on every run.",
            getattr(self._build, "__qualname__", self._build),
            reason,
        )
        return None
