from django.urls import path

from varde.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("posts/<int:post_id>/", views.post_review, name="post"),
    path("posts/<int:post_id>/submit/", views.post_submit, name="submit"),
    path("posts/<int:post_id>/approve/", views.post_approve, name="approve"),
    path("posts/<int:post_id>/changes/", views.post_request_changes, name="request_changes"),
    path("settings/", views.approval_settings, name="settings"),
    path("links/", views.client_links, name="links"),
    path("links/<int:link_id>/revoke/", views.client_link_revoke, name="link_revoke"),
]
