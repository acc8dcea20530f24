"""Listening: what is said about the brand, its competitors and the trends.

* ``query/`` — the query language and the matcher (pure Python, no models);
* ``models.py``, ``services.py``, ``selectors.py`` — queries, sources, mentions and rollups;
* ``pipeline.py`` — normalise → dedupe → match → language → sentiment → store → rollups;
* ``views.py`` — the queries page, the sources page and the mention stream.

docs/listening.md describes all of it.
"""
