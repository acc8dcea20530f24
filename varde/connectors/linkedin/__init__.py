"""LinkedIn company pages: the connector, its REST shapes and media upload, and how people
connect it and choose the page (``connect.py``)."""
