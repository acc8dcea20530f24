"""How people connect the newsletter: their own mail server (SMTP). Read through
``NewsletterConnector.connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, CredentialMethod, Field, FieldRole

FORMS = ConnectForms(
    credentials=CredentialMethod(
        "newsletter",
        _("Connect a mail server (SMTP)"),
        _(
            "Varde sends the newsletter through your own mail server. Ask whoever runs your "
            "e-mail for the SMTP server name, port, user name and password."
        ),
        (
            Field("host", _("SMTP server"), _("For example smtp.example.no.")),
            Field("port", _("Port"), _("587 for STARTTLS, 465 for TLS."), input_type="number"),
            Field(
                "security",
                _("Encryption"),
                _("starttls (usually port 587) or ssl (usually port 465)."),
                default="starttls",
            ),
            Field("user", _("User name"), role=FieldRole.IDENTIFIER),
            Field("password", _("Password"), role=FieldRole.SECRET, input_type="password"),
            Field(
                "from",
                _("Sender address"),
                _("The address the newsletter comes from."),
                config_key="from_address",
                input_type="email",
            ),
            Field(
                "from_name",
                _("Sender name"),
                _("Optional, for example the name of your business."),
                required=False,
            ),
        ),
        _("Check the server name, port, user name and password."),
    ),
)
