"""X: the connector, its JSON shapes and media upload, and how people connect it
(``connect.py``)."""
