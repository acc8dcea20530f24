from django.urls import path

from varde.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("phase/<int:number>/", views.phase, name="phase"),
    path("phase/<int:number>/save/", views.phase_save, name="phase_save"),
    path("template/", views.template_apply, name="template"),
    path("export.<str:fmt>", views.export_plan, name="export"),
    path("history/", views.history, name="history"),
    path("versions/save/", views.version_save, name="version_save"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("versions/<int:number>/adopt/", views.version_adopt, name="version_adopt"),
    path("<slug:kind>/new/", views.item_new, name="item_new"),
    path("<slug:kind>/<int:pk>/", views.item_edit, name="item_edit"),
    path("<slug:kind>/<int:pk>/delete/", views.item_delete, name="item_delete"),
]
