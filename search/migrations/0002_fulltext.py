"""Full-text indexes of the database fallback over SearchEntry's token columns.

SQLite: an external-content FTS5 table kept in step by triggers. PostgreSQL: GIN indexes on
to_tsvector('simple', ...) (the tokens are already segmented and normalised, so 'simple' is right).
Other databases get nothing here and the fallback uses plain LIKE matching.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE portal_search_fts USING fts5(
        title_tokens, body_tokens, notes_tokens,
        content='portal_search_searchentry', content_rowid='id'
    )""",
    """CREATE TRIGGER portal_search_fts_ai AFTER INSERT ON portal_search_searchentry BEGIN
        INSERT INTO portal_search_fts(rowid, title_tokens, body_tokens, notes_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens, new.notes_tokens);
    END""",
    """CREATE TRIGGER portal_search_fts_ad AFTER DELETE ON portal_search_searchentry BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, title_tokens, body_tokens, notes_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens, old.notes_tokens);
    END""",
    """CREATE TRIGGER portal_search_fts_au AFTER UPDATE ON portal_search_searchentry BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, title_tokens, body_tokens, notes_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens, old.notes_tokens);
        INSERT INTO portal_search_fts(rowid, title_tokens, body_tokens, notes_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens, new.notes_tokens);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_search_fts_au",
    "DROP TRIGGER IF EXISTS portal_search_fts_ad",
    "DROP TRIGGER IF EXISTS portal_search_fts_ai",
    "DROP TABLE IF EXISTS portal_search_fts",
]
POSTGRES_FORWARD = [
    """CREATE INDEX portal_search_entry_fts ON portal_search_searchentry
       USING GIN (to_tsvector('simple', title_tokens || ' ' || body_tokens))""",
    """CREATE INDEX portal_search_entry_notes_fts ON portal_search_searchentry
       USING GIN (to_tsvector('simple', notes_tokens))""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_search_entry_notes_fts",
    "DROP INDEX IF EXISTS portal_search_entry_fts",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
