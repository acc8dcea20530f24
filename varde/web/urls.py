from django.urls import path

from varde.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("w/<slug:workspace>/", views.workspace_home, name="workspace_home"),
    path("w/<slug:workspace>/settings/", views.settings_overview, name="settings"),
    path("w/<slug:workspace>/settings/health/", views.health, name="health"),
    path("w/<slug:workspace>/<slug:area>/", views.area_not_built, name="area"),
]
