"""Posts sent as signed JSON to an address the person gives: the connector and how people
connect it (``connect.py``)."""
