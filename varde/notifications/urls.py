from django.urls import path

from varde.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("choices/", views.preferences, name="preferences"),
]
