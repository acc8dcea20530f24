"""The address networks send people back to after signing in: one for every network and
workspace, so the operator registers it once per app (the workspace is in the saved state)."""

from django.urls import path

from varde.channels import views

app_name = "channels_oauth"

urlpatterns = [
    path("callback/", views.oauth_callback, name="callback"),
]
