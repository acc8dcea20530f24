"""Existing items join conversations, so no row read before this release is lost or orphaned.

The grouping is the one ``inbox.services.conversations.thread_key_of`` uses for new items
(repeated here, as migrations must not import app code that may change later).
"""

from django.db import migrations


def _thread_key(item):
    if item.kind == "dm":
        return f"dm:{item.author_handle}"[:520]
    return (item.in_reply_to or item.network_id)[:520]


def forwards(apps, schema_editor):
    InboxItem = apps.get_model("inbox", "InboxItem")
    Conversation = apps.get_model("inbox", "Conversation")
    found = {}
    for item in InboxItem.objects.filter(conversation__isnull=True).order_by("created_at", "id"):
        key = (item.channel_id, item.author_handle, _thread_key(item))
        conversation = found.get(key)
        if conversation is None:
            conversation, _created = Conversation.objects.get_or_create(
                channel_id=item.channel_id,
                author_handle=item.author_handle,
                thread_key=key[2],
                defaults={
                    "workspace_id": item.workspace_id,
                    "author_name": item.author_name,
                    "delivery_id": item.delivery_id,
                    "state": "new",
                    "last_item_at": item.created_at,
                    "created_at": item.received_at,
                },
            )
            found[key] = conversation
        conversation.item_count += 1
        conversation.last_item_at = max(conversation.last_item_at, item.created_at)
        conversation.preview = item.text[:300]
        conversation.save(update_fields=["item_count", "last_item_at", "preview"])
        item.conversation_id = conversation.pk
        item.save(update_fields=["conversation"])


class Migration(migrations.Migration):
    dependencies = [("inbox", "0002_conversations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
