from django.urls import path

from varde.analytics import report_views, views, views_review

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("goals/<int:goal_id>/readings/", views.goal_reading, name="goal_reading"),
    path("best-time/", views.best_time_page, name="best_time"),
    path("plan-kept/", views.plan_kept, name="plan_kept"),
    path("export/<slug:table>.csv", views.export_table, name="export"),
    path("links/", views.link_tracking, name="links"),
    path("review/", views_review.review_list, name="reviews"),
    path("review/start/", views_review.review_start, name="review_start"),
    path("review/<int:review_id>/", views_review.review_detail, name="review"),
    path(
        "review/<int:review_id>/proposals/<int:review_proposal_id>/",
        views_review.proposal_decide,
        name="proposal_decide",
    ),
    path("review/<int:review_id>/finish/", views_review.review_finish, name="review_finish"),
    path("links/conversions/", views.conversion_add, name="conversion_add"),
    path("reports/", report_views.reports_page, name="reports"),
    path("reports/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("reports/schedules/", report_views.schedule_add, name="schedule_add"),
    path(
        "reports/schedules/<int:schedule_id>/delete/",
        report_views.schedule_delete,
        name="schedule_delete",
    ),
    path(
        "reports/schedules/<int:schedule_id>/send/",
        report_views.schedule_send_now,
        name="schedule_send_now",
    ),
]
