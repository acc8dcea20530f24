"""How people connect X: signing in on X (OAuth 2.0 with PKCE). Read through
``XConnector.connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, OAuthMethod

FORMS = ConnectForms(
    oauth=OAuthMethod(
        "x",
        "x",
        _("You sign in on X and allow Varde to post for the account."),
        needs_secret=False,
    ),
)
