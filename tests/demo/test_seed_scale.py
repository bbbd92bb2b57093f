import io

import pytest
from django.core.management import call_command
from django.db import connection

from kcsp.models import Action, SearchEntry
from meetings.models import Meeting


def _unvisited_pages(table: str) -> tuple[int, int]:
    """The table's pages, and how many of them are not marked all-visible."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relpages - relallvisible FROM pg_class"
            " WHERE relname = %s",
            [table],
        )
        pages, unvisited = cursor.fetchone()
    return pages, unvisited


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="VACUUM and the visibility map"
)
# VACUUM cannot run inside the transaction that wraps an ordinary test.
@pytest.mark.django_db(transaction=True)
def test_seed_scale_leaves_the_tables_as_autovacuum_keeps_a_live_database() -> None:
    out = io.StringIO()
    call_command("seed_scale", years=1, bodies=1, no_history=True, stdout=out)

    assert Meeting.objects.filter(source_system="seed_scale").count() >= 10
    assert Action.objects.exists() and SearchEntry.objects.exists()
    # Every page of what was written is marked all-visible, so the benchmark's
    # queries can be answered from an index alone, as on a live database.
    for table in ("kcsp_action", "meetings_resolution", "kcsp_searchentry"):
        pages, unvisited = _unvisited_pages(table)
        assert pages > 0 and unvisited == 0, table
    assert "Tables vacuumed and analysed" in out.getvalue()
