"""The bell's notifications lived in the approvals app until the one notification path moved
them here; copy them over before approvals drops its table."""

from django.db import migrations


def copy_notifications(apps, schema_editor):
    old = apps.get_model("approvals", "Notification")
    new = apps.get_model("notifications", "Notification")
    batch = []
    for row in old.objects.order_by("pk").iterator(chunk_size=1000):
        batch.append(
            new(
                user_id=row.user_id,
                workspace_id=row.workspace_id,
                kind=row.kind,
                text=row.text,
                url=row.url,
                read_at=row.read_at,
                created_at=row.created_at,
            )
        )
        if len(batch) >= 1000:
            new.objects.bulk_create(batch)
            batch = []
    new.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("approvals", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_notifications, migrations.RunPython.noop)]
