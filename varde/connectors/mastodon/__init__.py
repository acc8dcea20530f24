"""Mastodon: the connector, its JSON shapes, media upload and paging, and how people connect
it (``connect.py``)."""
