from varde.content.tests.conftest import (  # noqa: F401 - fixtures shared with content
    contributor,
    english,
    media_root,
    x_channel,
)
