"""Varde's short links and conversion tracking, under /l/."""

from django.urls import path

from varde.analytics import views_public

app_name = "links"

urlpatterns = [
    path("p/<str:pixel_id>.gif", views_public.pixel, name="pixel"),
    path("c/<str:pixel_id>/", views_public.conversion, name="conversion"),
    path("<str:code>", views_public.follow, name="follow"),
]
