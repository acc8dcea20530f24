"""Full-text search over the inbox items' text and authors (varde/lib/fulltext.py): on SQLite
an FTS5 table kept in step by triggers and filled from the items already stored; on
PostgreSQL a generated tsvector column (norwegian, english or simple by the item's language,
handles also split at their dots) with a GIN index.

Numbered 0007 because 0005 and 0006 are taken on other branches; it depends on 0004 only.
"""

from django.db import migrations

from varde.lib.fulltext import CreateFullText


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0006_reply_approval_and_thanks"),
    ]

    operations = [
        CreateFullText(
            table="inbox_inboxitem",
            columns=["text", "author_name", "author_handle"],
            language_column="language",
            handle_columns=["author_handle"],
            languages=[["no", "norwegian"], ["en", "english"]],
        ),
    ]
