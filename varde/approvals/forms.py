"""Forms for the review workflow; ``approvals.services`` does the writing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varde.approvals import selectors
from varde.approvals.services import CLIENT_LINK_DEFAULT_DAYS
from varde.content import selectors as content_selectors

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.content.models import Post

COMMENT_MAX = 2000


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what should change, so the author knows what to do.")},
    )


class ApprovalSettingsForm(forms.Form):
    require_second_approval = forms.BooleanField(
        label=_("Require a second approval"),
        required=False,
        help_text=_(
            "Every post needs two approvals, by two different people, before it can go out. "
            "Without this, one approval is enough, and editors and admins may approve their "
            "own posts."
        ),
    )


class PostChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Post) -> str:
        return obj.text[:100]


LINK_DAYS = [
    (1, _("1 day")),
    (3, _("3 days")),
    (7, _("7 days")),
    (14, _("14 days")),
    (30, _("30 days")),
]


class ClientLinkForm(forms.Form):
    posts: forms.ModelMultipleChoiceField[Post] = PostChoiceField(
        label=_("Posts to review"),
        queryset=content_selectors.no_posts(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one post for the client to review.")},
    )
    days = forms.TypedChoiceField(
        label=_("The link works for"),
        choices=LINK_DAYS,
        coerce=int,
        initial=CLIENT_LINK_DEFAULT_DAYS,
    )
    label = forms.CharField(
        label=_("Who it is for (optional)"),
        required=False,
        max_length=120,
        help_text=_("Only your team sees this, in the list of links."),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = selectors.posts_for_client_link(  # type: ignore[attr-defined]
            workspace=workspace
        )


class ClientDecisionForm(forms.Form):
    post = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("changes", "changes")])
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        error_messages={"required": _("Write your name, so the team knows who decided.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you ask for changes: say what should change."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what should change, so the team knows what to do."))
        return data
