from django.urls import path

from varde.listening import views

app_name = "listening"

urlpatterns = [
    path("", views.stream, name="stream"),
    path("volume/", views.volume, name="volume"),
    path("queries/", views.query_list, name="queries"),
    path("queries/new/", views.query_new, name="query_new"),
    path("queries/check/", views.query_check, name="query_check"),
    path("queries/test/", views.query_test, name="query_test"),
    path("queries/from-plan/", views.queries_from_plan, name="queries_from_plan"),
    path("queries/from-hashtag/", views.query_from_hashtag, name="query_from_hashtag"),
    path("queries/<int:query_id>/", views.query_edit, name="query_edit"),
    path("queries/<int:query_id>/delete/", views.query_delete, name="query_delete"),
    path("sources/", views.source_list, name="sources"),
    path("sources/add/", views.source_add, name="source_add"),
    path("sources/csv/", views.csv_upload, name="csv_upload"),
    path("sources/csv/<int:source_id>/import/", views.csv_import_run, name="csv_import"),
    path("alerts/", views.alert_list, name="alerts"),
    path("sources/<int:source_id>/toggle/", views.source_toggle, name="source_toggle"),
    path("sources/<int:source_id>/delete/", views.source_delete, name="source_delete"),
    path("retention/", views.retention, name="retention"),
]
