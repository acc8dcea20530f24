"""Explicit registration; VARDE_CONNECTORS read lazily and frozen after the first read."""

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from varde.connectors import registry
from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.mastodon.connector import MastodonConnector


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    registry._reset_for_tests()
    yield
    registry._reset_for_tests()


def test_get_imports_a_builtin_by_key() -> None:
    assert registry.get("bluesky") is BlueskyConnector


def test_get_unknown_key() -> None:
    with pytest.raises(registry.UnknownConnectorError):
        registry.get("myspace")


def test_enabled_follows_the_setting_order_and_freezes() -> None:
    reads = []

    def setting() -> list[str]:
        reads.append(1)
        return ["mastodon", "bluesky", "mastodon"]

    assert registry.enabled(setting) == (MastodonConnector, BlueskyConnector)
    assert registry.enabled(setting) == (MastodonConnector, BlueskyConnector)
    assert len(reads) == 1  # read once, lazily, then frozen
    with pytest.raises(registry.RegistryFrozenError):
        registry.register(BlueskyConnector)


def test_enabled_refuses_unknown_keys() -> None:
    with pytest.raises(ImproperlyConfigured, match="myspace"):
        registry.enabled(lambda: ["bluesky", "myspace"])


def test_two_classes_cannot_share_a_key() -> None:
    class Impostor(BlueskyConnector):
        pass

    with pytest.raises(ValueError, match="bluesky"):
        registry.register(Impostor)


def test_every_builtin_key_is_registered_by_the_module_the_table_names() -> None:
    # The table is how `VARDE_CONNECTORS` finds a network's package; a key pointing at the
    # wrong module would only fail when an operator enables it.
    for key, module in registry.BUILTIN.items():
        assert registry.get(key).__module__ == module


def test_known_lists_the_builtins_in_table_order_then_the_others() -> None:
    keys = [cls.key for cls in registry.known()]
    assert keys[: len(registry.BUILTIN)] == list(registry.BUILTIN)
