"""Opt-in confirmations go out in the background, over the newsletter's own SMTP server."""

from __future__ import annotations

from huey.contrib.djhuey import task

from varde.newsletter import services


@task()
def send_confirmations(subscriber_ids: list[int]) -> None:
    services.subscribers_send_confirmation(subscriber_ids=subscriber_ids)
