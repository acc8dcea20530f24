from django.urls import path

from varde.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox_list, name="list"),
]
