"""How people connect a webhook: the address and a shared secret. Read through
``WebhookConnector.connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, CredentialMethod, Field, FieldRole

FORMS = ConnectForms(
    credentials=CredentialMethod(
        "webhook",
        _("Send posts to an address"),
        _(
            "Varde sends each post as signed JSON (HTTP POST) to this address. The receiver "
            "checks the X-Varde-Signature header with the shared secret."
        ),
        (
            Field(
                "url",
                _("Address"),
                _("An https address that accepts POST requests."),
                is_url=True,
                input_type="url",
            ),
            Field(
                "secret",
                _("Shared secret"),
                _("A long random text the receiver also knows; at least 16 characters."),
                role=FieldRole.SECRET,
                input_type="password",
            ),
        ),
    ),
)
