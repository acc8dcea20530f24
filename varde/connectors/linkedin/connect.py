"""How people connect a LinkedIn company page: signing in as an administrator, then choosing
the page (nothing is asked first). Read through ``LinkedInConnector.connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, OAuthMethod, PickerWords

FORMS = ConnectForms(
    oauth=OAuthMethod(
        "linkedin",
        "linkedin",
        _("You sign in on LinkedIn as an administrator of the company page, then choose the page."),
    ),
    picker=PickerWords(
        _("Choose the LinkedIn page"),
        _("Company pages you administer"),
        _(
            "This LinkedIn account is not an administrator of any company page. Sign in as a "
            "page administrator, or ask one to make you an administrator of the page."
        ),
        _("Connect this page"),
    ),
)
