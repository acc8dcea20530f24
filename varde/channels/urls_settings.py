"""Settings → Networks: installation-wide, under any workspace its owner belongs to."""

from django.urls import path

from varde.channels import views_network_apps as views

app_name = "network_apps"

urlpatterns = [
    path("", views.network_apps_page, name="page"),
    path("<slug:app>/save/", views.network_app_save, name="save"),
    path("<slug:app>/remove/", views.network_app_remove, name="remove"),
    path("guides/<slug:network>/", views.network_guide, name="guide"),
]
