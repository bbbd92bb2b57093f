"""Results kept by a process for as long as the database has not changed.

PostgreSQL plans every query it is sent, and the version query of the
minutes (a dozen subqueries) takes it several milliseconds to plan, more than
all the rest of serving a cached PDF. While nothing has been written to the
database, though, a version found a moment ago still holds. PostgreSQL's
`pg_current_snapshot()` (xmin:xmax:running transactions) changes whenever a
transaction that writes starts or ends, anywhere in the database, and costs
next to nothing to read; a result is reused only while it reads the same as
when the result was found, so no write can be missed, on this web node or
any other.

Time can change a result without a write (a paper published "from noon"):
`compute` says until when its result holds, and it is not reused after that,
nor after `max_age` seconds in any case. Nothing is kept inside a transaction
(its own writes do not change the snapshot) or on other databases, where
every call computes afresh.
"""

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connections
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Entry:
    snapshot: str
    expires: float
    holds_until: dt.datetime | None
    value: Any


class WhileUnchanged:
    """A small per-process store of results, each valid while the database
    is unchanged."""

    def __init__(self, *, max_entries: int = 1024, max_age: float = 60.0) -> None:
        self._entries: OrderedDict[tuple[str, Hashable], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._max_age = max_age
        self._unsupported: set[str] = set()

    def get(
        self,
        key: Hashable,
        compute: Callable[[], tuple[Any, dt.datetime | None]],
        *,
        using: str = "default",
    ) -> Any:
        """The result for `key`, computed by `compute` unless a result found
        since the last write to the database still holds.

        `compute` returns the result and the time it stops holding (or None).
        """
        snapshot = self._snapshot(using)
        if snapshot is None:
            return compute()[0]
        with self._lock:
            entry = self._entries.get((using, key))
            if entry is not None:
                self._entries.move_to_end((using, key))
        if (
            entry is not None
            and entry.snapshot == snapshot
            and time.monotonic() < entry.expires
            and (entry.holds_until is None or timezone.now() < entry.holds_until)
        ):
            return entry.value
        value, holds_until = compute()
        with self._lock:
            self._entries[(using, key)] = _Entry(
                snapshot=snapshot,
                expires=time.monotonic() + self._max_age,
                holds_until=holds_until,
                value=value,
            )
            self._entries.move_to_end((using, key))
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _snapshot(self, using: str) -> str | None:
        connection = connections[using]
        if (
            connection.vendor != "postgresql"
            or using in self._unsupported
            or connection.in_atomic_block
        ):
            return None
        try:
            with connection.cursor() as cursor:
                # Read before the result is computed: a write committed in
                # between changes the snapshot, so it is seen next time.
                cursor.execute("SELECT pg_current_snapshot()::text")
                row = cursor.fetchone()
        except DatabaseError:
            logger.warning("pg_current_snapshot() is not available: nothing is kept")
            self._unsupported.add(using)
            return None
        return str(row[0]) if row else None
