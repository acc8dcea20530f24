"""The project's URLs. Workspace areas live under /w/<workspace>/; each app adds its own."""

from django.urls import include, path

from varde.channels.views import atproto_client_metadata

# A form over DATA_UPLOAD_MAX_MEMORY_SIZE gets a page that says so (varde/web/errors.py).
handler400 = "varde.web.errors.bad_request"

urlpatterns = [
    path("", include("varde.web.urls_public")),
    path("accounts/", include("varde.accounts.urls")),
    path("w/<slug:workspace>/settings/", include("varde.accounts.urls_workspace")),
    path("w/<slug:workspace>/strategy/", include("varde.strategy.urls")),
    path("w/<slug:workspace>/publishing/", include("varde.publishing.urls")),
    path("w/<slug:workspace>/sandbox/", include("varde.sandbox.urls")),
    path("w/<slug:workspace>/posts/", include("varde.composer.urls")),
    path("w/<slug:workspace>/campaigns/", include("varde.composer.urls_campaigns")),
    path("w/<slug:workspace>/channels/", include("varde.channels.urls")),
    path("channels/oauth/", include("varde.channels.urls_oauth")),
    # This Varde's apps with the networks: for the installation's owner, in any workspace.
    path("w/<slug:workspace>/settings/networks/", include("varde.channels.urls_settings")),
    # Bluesky's sign-in servers fetch Varde's client metadata here (its client_id).
    path(
        "oauth/bluesky/client-metadata.json",
        atproto_client_metadata,
        name="atproto_client_metadata",
    ),
    path("w/<slug:workspace>/policy/", include("varde.policy.urls")),
    path("w/<slug:workspace>/review/", include("varde.approvals.urls")),
    path("w/<slug:workspace>/notifications/", include("varde.notifications.urls")),
    path("review/", include("varde.approvals.urls_public")),
    path("w/<slug:workspace>/newsletter/", include("varde.newsletter.urls")),
    path("newsletter/", include("varde.newsletter.urls_public")),
    # Signed, expiring addresses of attached files, for networks that download media.
    path("m/", include("varde.content.urls_public")),
    path("w/<slug:workspace>/calendar/", include("varde.calendar.urls")),
    path("w/<slug:workspace>/inbox/", include("varde.inbox.urls")),
    path("w/<slug:workspace>/listening/", include("varde.listening.urls")),
    path("w/<slug:workspace>/leads/", include("varde.leads.urls")),
    path("w/<slug:workspace>/analytics/", include("varde.analytics.urls")),
    # Varde's own short links, the thank-you pixel and the conversion endpoint.
    path("l/", include("varde.analytics.urls_public")),
    # Apps add their workspace areas above this line; the shell's catch-all area page comes last.
    path("", include("varde.web.urls")),
]
