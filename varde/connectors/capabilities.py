"""What a connector can do, asked with ``connector.supports(Capability.X)``."""

import enum


class Capability(enum.Flag):
    """One flag per thing a network lets Varde do; combine with ``|``."""

    TEXT = enum.auto()
    IMAGES = enum.auto()
    VIDEO = enum.auto()
    ALT_TEXT = enum.auto()
    THREADS = enum.auto()
    FIRST_COMMENT = enum.auto()
    DELETE = enum.auto()
    # The network can tell afterwards whether a post exists, so an `unknown` delivery can be
    # settled without re-sending (see "Publishing engine" in ARCHITECTURE.md).
    FIND_PUBLISHED = enum.auto()
    # The network itself drops a second request carrying the same idempotency key.
    IDEMPOTENCY_KEY = enum.auto()
    # No "native scheduling": Varde's engine is the one scheduler, so the guard runs at send
    # time and a scheduled post can be unscheduled without asking the network (docs/publishing.md).
    METRICS = enum.auto()
    COMMENTS = enum.auto()
    MENTIONS = enum.auto()
    # The network lists the replies to one post. Reading back uses it when a post counts more
    # replies than Varde holds, so a reply the notification feed missed is still found.
    REPLIES_OF_POST = enum.auto()
    REPLY = enum.auto()
    HIDE = enum.auto()
    DMS = enum.auto()
    OAUTH = enum.auto()
    # Connect with an identifier and an app/application password instead of OAuth.
    APP_PASSWORD = enum.auto()
    # The channel sends to a list of people the publishing side hands over in
    # ``PublishRequest.recipients`` (the e-mail newsletter), instead of posting to a feed.
    RECIPIENTS = enum.auto()
