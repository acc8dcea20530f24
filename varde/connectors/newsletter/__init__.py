"""The e-mail newsletter over the operator's SMTP server: the connector, the message
(``mime.py``), the SMTP session (``smtp.py``), and how people connect it (``connect.py``).
"""
