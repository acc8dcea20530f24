from django.urls import path

from varde.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("goals/<int:goal_id>/readings/", views.goal_reading, name="goal_reading"),
    path("best-time/", views.best_time_page, name="best_time"),
    path("plan-kept/", views.plan_kept, name="plan_kept"),
    path("export/<slug:table>.csv", views.export_table, name="export"),
    path("links/", views.link_tracking, name="links"),
    path("links/conversions/", views.conversion_add, name="conversion_add"),
]
