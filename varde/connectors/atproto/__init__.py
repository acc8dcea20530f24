"""The AT Protocol pieces that are not Bluesky's app: resolving a handle to its DID and
server (``identity``), OAuth with PAR, PKCE and DPoP (``oauth``, ``dpop``). Kept apart from
``bluesky/`` because any AT Protocol app (and the channels app's client metadata) uses them.
"""
