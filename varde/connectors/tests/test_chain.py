"""The head -> thread -> first comment chain every threading network shares."""

from datetime import UTC, datetime

import pytest

from varde.connectors.chain import publish_chain
from varde.connectors.contracts import PublishRequest, PublishResult
from varde.connectors.errors import Transient

HEAD = PublishResult(
    network_post_id="1", url="https://n.example/1", published_at=datetime(2025, 1, 1, tzinfo=UTC)
)


def test_parts_answer_the_part_before_and_the_comment_answers_the_head() -> None:
    calls: list[tuple[str, str, str]] = []

    def post_reply(text: str, parent: str, part: str) -> tuple[str, str]:
        calls.append((text, parent, part))
        new_id = str(len(calls) + 1)
        return new_id, new_id

    request = PublishRequest(
        text="head", idempotency_key="k", thread=("two", "three"), first_comment="c"
    )
    result = publish_chain(request, HEAD, head="1", post_reply=post_reply)
    assert calls == [("two", "1", "2"), ("three", "2", "3"), ("c", "1", "comment")]
    assert result.thread_ids == ("2", "3")
    assert result.first_comment_id == "4"


def test_a_failing_part_carries_what_was_published() -> None:
    def post_reply(text: str, parent: str, part: str) -> tuple[str, str]:
        if part == "3":
            raise Transient("down")
        return "2", "2"

    request = PublishRequest(text="head", idempotency_key="k", thread=("two", "three"))
    with pytest.raises(Transient) as caught:
        publish_chain(request, HEAD, head="1", post_reply=post_reply)
    assert caught.value.partial is not None
    assert caught.value.partial.thread_ids == ("2",)
