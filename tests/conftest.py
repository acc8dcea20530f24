"""Fixtures shared by the test folders below.

The browser fixtures (``tests/browser/fixtures.py``) are registered here, once, because both
``tests/browser/`` and the end-to-end tests in ``tests/e2e/`` that a person drives through the
browser use them; registering them in each folder's conftest would start two Playwright
sessions, and the second refuses to run inside the first one's event loop.
"""

from tests.browser.fixtures import browser, live_server, page, screenshot

__all__ = ["browser", "live_server", "page", "screenshot"]
