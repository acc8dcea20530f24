"""How people connect YouTube: signing in with the Google account that owns the channel. Read
through ``YouTubeConnector.connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, OAuthMethod

FORMS = ConnectForms(
    oauth=OAuthMethod(
        "youtube",
        "google",
        _("You sign in with the Google account that owns the YouTube channel."),
    ),
)
