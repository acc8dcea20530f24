"""WordPress (REST API with an Application Password): the connector, media upload, and how
people connect it (``connect.py``)."""
