"""What follows a published head post: the thread parts, then the first comment.

Every network that threads or comments writes the same chain: each thread part answers the
part before it, the first comment answers the head, and an error after the head went out
carries the result so far (``errors.with_partial``), so the engine never sends the head twice
and knows which parts exist. The chain is written once, here; a connector says only how one
reply is posted (:data:`PostReply`).
"""

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from varde.connectors.contracts import PublishRequest, PublishResult
from varde.connectors.errors import ConnectorError, with_partial

Parent = TypeVar("Parent")
# post_reply(text, parent, part) -> (what the next part answers, the new post's network id).
# ``parent`` is whatever the network needs to answer a post (an id; Bluesky's {uri, cid});
# ``part`` is "2", "3", ... for thread parts and "comment" for the first comment, for networks
# that derive an idempotency key per part (``key:2``, ``key:comment``).
PostReply = Callable[[str, Parent, str], tuple[Parent, str]]

COMMENT_PART = "comment"


def publish_chain(
    request: PublishRequest,
    result: PublishResult,
    *,
    head: Parent,
    post_reply: PostReply[Parent],
) -> PublishResult:
    """Post ``request.thread`` and ``request.first_comment`` after the head (already
    published as ``result``, answered through ``head``) and return the whole result.

    Raises the connector error of the first part that fails, with the result so far attached.
    """
    try:
        parent, thread_ids = head, []
        for number, text in enumerate(request.thread, 2):
            parent, post_id = post_reply(text, parent, str(number))
            thread_ids.append(post_id)
            result = replace(result, thread_ids=tuple(thread_ids))
        if request.first_comment is not None:
            _, comment_id = post_reply(request.first_comment, head, COMMENT_PART)
            result = replace(result, first_comment_id=comment_id)
    except ConnectorError as error:
        raise with_partial(error, result) from error
    return result
