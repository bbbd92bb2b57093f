from django.db import migrations

# PostgreSQL only: search takes its candidates newest first with undated
# entries last. PostgreSQL sorts nulls first when descending, so the index
# of model state (date DESC, id DESC) cannot serve that order and every
# match would be sorted; this one can. SQLite already sorts nulls last when
# descending, and does not accept NULLS LAST in an index.
CREATE = (
    "CREATE INDEX IF NOT EXISTS searchentry_newest ON kcsp_searchentry "
    "(date DESC NULLS LAST, id DESC)"
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS searchentry_newest")


class Migration(migrations.Migration):
    dependencies = [
        ("kcsp", "0006_content_change"),
    ]

    operations = [migrations.RunPython(add_index, remove_index)]
