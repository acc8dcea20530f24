from django.urls import path

from varde.web import views

app_name = "public"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
