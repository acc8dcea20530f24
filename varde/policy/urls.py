from django.urls import path

from varde.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.rules, name="rules"),
    path("settings/", views.settings_save, name="settings_save"),
    path("check/", views.check, name="check"),
    path("hashtags/confirm/", views.hashtag_confirm, name="hashtag_confirm"),
    path("hashtags/forget/", views.hashtag_forget, name="hashtag_forget"),
]
