"""How people connect a WordPress site: an application password. Read through
``WordPressConnector.connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, CredentialMethod, Field, FieldRole

FORMS = ConnectForms(
    credentials=CredentialMethod(
        "wordpress",
        _("Connect with an application password"),
        _(
            "In WordPress, open Users → Profile → Application Passwords, add one called "
            "“Varde” and copy it. The user must be allowed to publish posts."
        ),
        (
            Field(
                "site",
                _("Site address"),
                _("For example https://blog.example.no."),
                is_url=True,
                input_type="url",
            ),
            Field(
                "user",
                _("User name"),
                _("The WordPress user name the application password belongs to."),
                role=FieldRole.IDENTIFIER,
            ),
            Field(
                "app_password",
                _("Application password"),
                role=FieldRole.SECRET,
                input_type="password",
            ),
        ),
        _("Check the user name, and that the application password has not been revoked."),
    ),
)
