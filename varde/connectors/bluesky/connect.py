"""How people connect Bluesky: an app password, or signing in on their server (AT Protocol
OAuth). Read by the channels app through ``BlueskyConnector.connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, CredentialMethod, Field, FieldRole, OAuthMethod

SERVICE = Field(
    "service",
    _("Server address"),
    _("https://bsky.social for most people; your own PDS address if you host one."),
    is_url=True,
    default="https://bsky.social",
    input_type="url",
)

FORMS = ConnectForms(
    credentials=CredentialMethod(
        "bluesky",
        _("Connect with an app password"),
        _(
            "In Bluesky, open Settings → Privacy and security → App passwords and create one "
            "called “Varde”. Use it here instead of your real password; you can revoke it any time."
        ),
        (
            SERVICE,
            Field(
                "handle",
                _("Handle"),
                _("For example varde.bsky.social, without the @."),
                role=FieldRole.IDENTIFIER,
            ),
            Field(
                "app_password",
                _("App password"),
                _("Looks like xxxx-xxxx-xxxx-xxxx."),
                role=FieldRole.SECRET,
                input_type="password",
            ),
        ),
        _("Check the handle and create a new app password if you are unsure of it."),
    ),
    oauth=OAuthMethod(
        "bluesky",
        None,
        _(
            "You sign in on your Bluesky server and allow Varde to post for the account; no app "
            "password is needed. If your server does not offer this, connect with an app "
            "password below."
        ),
        (
            Field(
                "account",
                _("Your Bluesky account"),
                _("Your handle, for example varde.bsky.social, without the @."),
                config_key="login_hint",
            ),
            Field(
                "lookup_service",
                _("Server that looks the account up"),
                _("https://bsky.social works for every account; or your own PDS address."),
                config_key="service",
                is_url=True,
                default="https://bsky.social",
                input_type="url",
            ),
        ),
        client_metadata=True,
    ),
)
