"""Listening: what is said about the brand, its competitors and the trends.

So far this holds only the query language and the matcher (`varde.listening.query`), a pure
Python package with no models; the app's models, sources and screens come later.
"""
