from django.db import migrations

# PostgreSQL only: `pairs`, the adjacent word pairs of each search entry,
# stored beside `vector` (a generated column cannot read another, so the
# words are parsed again), with a GIN index, so that a phrase search is
# answered from an index instead of by checking word positions on every row
# that has the phrase's words (see kcsp.search.phrases). The column is
# stored rather than computed in the index so that checking a row found
# through the index reads it instead of working the pairs out again. Pairs
# reaching PostgreSQL's last word position (16,383, shared by every later
# word) are left out.
# Pairs are made of words of at most 40 bytes (kcsp.search.phrases.LONGEST
# says the same to the queries), and stop, in word order, before the pairs
# would pass 900,000 bytes: a tsvector holds at most 1 MB, and a column that
# cannot be computed would refuse the row. English text stays far below
# both; only text such as a paper's badly extracted layer of long tokens
# reaches them.
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION kcsp_word_pairs(doc tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(pair)), '')
    FROM (
        SELECT pair, sum(octet_length(pair) + 8) OVER (ORDER BY p, pair) AS size
        FROM (
            SELECT a.lexeme || ' ' || b.lexeme AS pair, a.p
            FROM (SELECT u.lexeme, p FROM unnest(doc) AS u, unnest(u.positions) AS p
                  WHERE octet_length(u.lexeme) <= 40) AS a
            JOIN (SELECT u.lexeme, p FROM unnest(doc) AS u, unnest(u.positions) AS p
                  WHERE octet_length(u.lexeme) <= 40) AS b
              ON b.p = a.p + 1 AND b.p < 16383
        ) AS pairs
    ) AS sized
    WHERE size <= 900000
$$
"""
ADD_COLUMN = """
ALTER TABLE kcsp_searchentry ADD COLUMN pairs tsvector
GENERATED ALWAYS AS (
    kcsp_word_pairs(
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'B')
    )
) STORED
"""
CREATE_INDEX = (
    "CREATE INDEX searchentry_pairs_gin ON kcsp_searchentry USING gin (pairs)"
)


def add_pairs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)
        schema_editor.execute(ADD_COLUMN)
        schema_editor.execute(CREATE_INDEX)


def remove_pairs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS searchentry_pairs_gin")
        schema_editor.execute(
            "ALTER TABLE kcsp_searchentry DROP COLUMN IF EXISTS pairs"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS kcsp_word_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("kcsp", "0007_search_newest_index"),
    ]

    operations = [migrations.RunPython(add_pairs, remove_pairs)]
