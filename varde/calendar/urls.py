from django.urls import path

from varde.calendar import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("move/", views.move, name="move"),
    path("more/", views.more, name="more"),
    path("meters/", views.meters_partial, name="meters"),
    path("export.csv", views.export_csv, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.csv", views.import_template, name="import_template"),
]
