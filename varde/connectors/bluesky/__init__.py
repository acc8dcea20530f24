"""Bluesky: the connector (``connector.py``), its XRPC calls and shapes, rich-text facets,
media, moderation (hidden replies), and how people connect it (``connect.py``).
"""
