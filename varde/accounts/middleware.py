"""Speak the user's language: their own choice, else the workspace's, else the browser's."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils import translation

from varde.accounts.models import Workspace


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._language_for(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "nb")
        return response

    def _language_for(self, request: HttpRequest) -> str:
        user = request.user
        own_language = str(getattr(user, "language", "") or "")
        if user.is_authenticated and own_language:
            return own_language
        try:
            slug = resolve(request.path_info).kwargs.get("workspace")
        except Resolver404:
            slug = None
        if slug and user.is_authenticated:
            language = (
                Workspace.objects.filter(slug=slug, memberships__user_id=user.pk)
                .values_list("language", flat=True)
                .first()
            )
            return language or ""
        return ""
