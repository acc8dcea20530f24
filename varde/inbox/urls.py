from django.urls import path

from varde.inbox import views, views_replies

app_name = "inbox"

urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("check/", views.check_now, name="check_now"),
    path("views/save/", views.view_save, name="view_save"),
    path("views/<int:view_id>/delete/", views.view_delete, name="view_delete"),
    path("c/<int:conversation_id>/", views.conversation, name="conversation"),
    path("c/<int:conversation_id>/state/", views.conversation_state, name="conversation_state"),
    path("c/<int:conversation_id>/assign/", views.conversation_assign, name="conversation_assign"),
    path("c/<int:conversation_id>/label/", views.conversation_label, name="conversation_label"),
    path("c/<int:conversation_id>/reply/", views.conversation_reply, name="conversation_reply"),
    path(
        "c/<int:conversation_id>/propose/",
        views_replies.conversation_propose,
        name="conversation_propose",
    ),
    path("approvals/", views_replies.proposals, name="proposals"),
    path("approvals/settings/", views_replies.reply_approval, name="reply_approval"),
    path(
        "approvals/<int:proposal_id>/approve/",
        views_replies.proposal_approve,
        name="proposal_approve",
    ),
    path(
        "approvals/<int:proposal_id>/refuse/", views_replies.proposal_refuse, name="proposal_refuse"
    ),
    path("followers/", views_replies.thanks, name="thanks"),
    path("followers/<int:conversation_id>/send/", views_replies.thanks_send, name="thanks_send"),
    path("followers/<int:conversation_id>/skip/", views_replies.thanks_skip, name="thanks_skip"),
    path("items/<int:item_id>/hide/", views.item_hide, name="item_hide"),
    path("items/<int:item_id>/class/", views.item_classify, name="item_classify"),
    path("items/<int:item_id>/escalate/", views.item_escalate, name="item_escalate"),
    path("items/<int:item_id>/review/", views.item_review, name="item_review"),
    path("actions/<int:action_id>/undo/", views.action_undo, name="action_undo"),
    path("from-mention/<int:mention_id>/", views.from_mention, name="from_mention"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/dry-run/", views.rule_dry_run, name="rule_dry_run"),
    path("rules/<int:rule_id>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("lists/add/", views.author_add, name="author_add"),
    path("lists/<int:entry_id>/remove/", views.author_remove, name="author_remove"),
    path("saved-replies/", views.saved_replies, name="saved_replies"),
    path("signature/", views.my_signature, name="signature"),
    path("hours/", views.business_hours, name="business_hours"),
]
