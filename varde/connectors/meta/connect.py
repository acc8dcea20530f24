"""How people connect Facebook Pages, Instagram and Threads. Facebook and Instagram sign in
with Facebook Login (the operator's "meta" app) and then choose the Page or account; Threads
signs in on Threads. Read through each connector's ``connect_forms``."""

from django.utils.translation import gettext_lazy as _

from varde.connectors.connect import ConnectForms, OAuthMethod, PickerWords

FACEBOOK = ConnectForms(
    oauth=OAuthMethod(
        "facebook",
        "meta",
        _(
            "You sign in on Facebook as someone who manages the Page, then choose the Page. "
            "When Facebook asks which Pages Varde may use, tick it."
        ),
    ),
    picker=PickerWords(
        _("Choose the Facebook Page"),
        _("Pages you manage"),
        _(
            "This Facebook account manages no Pages that it shared with Varde. Sign in as a "
            "Page admin, and when Facebook asks which Pages Varde may use, tick the Page."
        ),
        _("Connect this Page"),
        _(
            "Your access to this Page does not include creating posts. Ask someone with full "
            "control of the Page to give you access to content, then start again."
        ),
    ),
)

INSTAGRAM = ConnectForms(
    oauth=OAuthMethod(
        "instagram",
        "meta",
        _(
            "You sign in on Facebook as someone who manages the Page linked to the Instagram "
            "professional account, then choose the account. When Facebook asks which Pages "
            "Varde may use, tick that Page."
        ),
    ),
    picker=PickerWords(
        _("Choose the Instagram account"),
        _("Instagram accounts linked to your Pages"),
        _(
            "None of the Facebook Pages you shared with Varde has an Instagram professional "
            "account linked to it. Link the Instagram account to its Facebook Page (in Meta "
            "Business Suite), then start again and tick that Page when Facebook asks which "
            "Pages Varde may use."
        ),
        _("Connect this account"),
        _(
            "Your access to the Facebook Page linked to this account does not include "
            "creating content. Ask someone with full control of the Page to give you that "
            "access, then start again."
        ),
    ),
)

THREADS = ConnectForms(
    oauth=OAuthMethod("threads", "threads", _("You sign in on Threads and allow Varde to post.")),
)
