from django.urls import path

from varde.accounts import views_workspace as views

app_name = "workspace_settings"

urlpatterns = [
    path("workspace/", views.workspace_settings, name="workspace"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("audit/", views.audit_log, name="audit"),
]
