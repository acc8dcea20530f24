"""How people connect Mastodon: an access token from their server, or signing in there (Varde
registers itself on the server first). Read through ``MastodonConnector.connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, CredentialMethod, Field, FieldRole, OAuthMethod

INSTANCE = Field(
    "instance",
    _("Your Mastodon server"),
    _("The address of the server your account lives on, for example https://mastodon.social."),
    is_url=True,
    input_type="url",
)

FORMS = ConnectForms(
    credentials=CredentialMethod(
        "mastodon",
        _("Connect with an access token"),
        _(
            "On your Mastodon server, open Preferences → Development → New application, give "
            "it the scopes read, write and push, save, and copy “Your access token”."
        ),
        (
            INSTANCE,
            Field(
                "token",
                _("Access token"),
                role=FieldRole.SECRET,
                input_type="password",
            ),
        ),
        _("Check that the token belongs to an application on this server."),
    ),
    oauth=OAuthMethod(
        "mastodon",
        None,
        _(
            "Varde registers itself on your server, then sends you there to sign in and allow "
            "access. Nothing needs to be set up by the operator."
        ),
        (INSTANCE,),
    ),
)
