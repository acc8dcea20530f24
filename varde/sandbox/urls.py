from django.urls import path

from varde.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("", views.received, name="received"),
]
