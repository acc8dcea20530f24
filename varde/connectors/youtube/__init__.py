"""YouTube: the connector, its JSON shapes, the resumable video upload, and how people connect
it (``connect.py``)."""
