from django.db import migrations

# PostgreSQL only: the decisions register's words are matched against the
# search index's entries of resolutions alone (`meetings.search.
# resolutions_matching`). The index of every entry finds a common phrase's
# matches among all kinds of content (36,000 entries for "domestic abuse" at
# 25 years' size) and the planner then intersects them with every
# resolution's entry; this one holds only resolutions' entries.
INDEX = "searchentry_resolution_vector_gin"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON kcsp_searchentry "
        "USING gin (vector) WHERE source = 'meetings.resolution'"
    )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("kcsp", "0005_search_index"),
        ("meetings", "0019_redactions"),
    ]

    operations = [migrations.RunPython(add_index, remove_index)]
