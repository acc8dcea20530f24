"""The pages subscribers see, without logging in: sign up, confirm, unsubscribe."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from varde.accounts.access import public_view
from varde.accounts.services import throttle_allow
from varde.lib.client_address import client_ip
from varde.newsletter import selectors, services
from varde.newsletter.forms import SignupForm
from varde.newsletter.models import ConsentSource, SubscriberList


@public_view
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber_list = SubscriberList.objects.filter(signup_token=token).first()
    if subscriber_list is None:
        raise Http404
    # The pages a subscriber sees speak the newsletter's language, not the browser's.
    with translation.override(subscriber_list.workspace.language):
        return _subscribe(request, subscriber_list)


def _subscribe(request: HttpRequest, subscriber_list: SubscriberList) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # the hidden field only robots fill in
            return render(request, "newsletter/public_check_inbox.html", {"list": subscriber_list})
        if services.signups_throttled(subscriber_list=subscriber_list) or not _client_may_sign_up(
            request, subscriber_list
        ):
            context = {"list": subscriber_list, "form": form, "busy": True}
            return render(request, "newsletter/public_subscribe.html", context, status=429)
        try:
            services.subscriber_signup(
                subscriber_list=subscriber_list,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                source=ConsentSource.FORM,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            return render(request, "newsletter/public_check_inbox.html", {"list": subscriber_list})
    return render(
        request, "newsletter/public_subscribe.html", {"list": subscriber_list, "form": form}
    )


# Signups one client may send to one list in an hour: a family or an office behind one
# address signs up a handful; a script filling the form with strangers' addresses is stopped.
SIGNUPS_PER_CLIENT_PER_HOUR = 10


def _client_may_sign_up(request: HttpRequest, subscriber_list: SubscriberList) -> bool:
    return throttle_allow(
        scope="newsletter-signup-client",
        key=f"{subscriber_list.pk}:{client_ip(request) or 'unknown'}",
        limit=SIGNUPS_PER_CLIENT_PER_HOUR,
        window=timedelta(hours=1),
    )


@public_view
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners open links to check them, and that must not
    # count as a person's consent.
    if request.method == "GET":
        return render(request, "newsletter/public_confirm.html", {"done": False})
    subscriber = services.subscriber_confirm(link_token=token)
    if subscriber is None:
        return render(request, "newsletter/public_confirm.html", {"invalid": True}, status=400)
    with translation.override(subscriber.workspace.language):
        return render(
            request,
            "newsletter/public_confirm.html",
            {"done": True, "list": subscriber.subscriber_list},
        )


# Exempt from CSRF, and only this view: RFC 8058 one-click unsubscribe is a POST that the
# recipient's mail provider sends from its own servers, with no cookie and no CSRF token.
# CSRF protects a logged-in session from forged requests; here there is no session, and the
# signed token in the URL is the only authority, which a forger would need to have anyway.
# The worst a forged POST can do is what the token allows: unsubscribe that one address.
@public_view
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        found = selectors.subscriber_by_unsubscribe_token(token)
        if found is None:
            return render(
                request, "newsletter/public_unsubscribe.html", {"invalid": True}, status=400
            )
        with translation.override(found.workspace.language):
            return render(
                request, "newsletter/public_unsubscribe.html", {"list": found.subscriber_list}
            )
    subscriber = services.subscriber_unsubscribe(token=token)
    if subscriber is None:
        return render(request, "newsletter/public_unsubscribe.html", {"invalid": True}, status=400)
    with translation.override(subscriber.workspace.language):
        return render(
            request,
            "newsletter/public_unsubscribe.html",
            {"done": True, "list": subscriber.subscriber_list},
        )
