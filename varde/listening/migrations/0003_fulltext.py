"""Full-text search over the mentions' text (varde/lib/fulltext.py): on SQLite an FTS5 table
kept in step by triggers and filled from the mentions already stored; on PostgreSQL a
generated tsvector column (norwegian, english or simple by the mention's language) with a
GIN index."""

from django.db import migrations

from varde.lib.fulltext import CreateFullText


class Migration(migrations.Migration):
    dependencies = [
        ("listening", "0002_wired_sources_alerts"),
    ]

    operations = [
        CreateFullText(
            table="listening_mention",
            columns=["text"],
            language_column="language",
            languages=[["no", "norwegian"], ["en", "english"]],
        ),
    ]
