"""Meta's networks: Facebook Pages, Instagram and Threads, one module each, on the shared
Graph API request path (``graph_api.py``) and connector base (``graph_connector.py``). One
package because the three share the Graph API, its errors, its login and its comments.
"""
