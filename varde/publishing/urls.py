from django.urls import path

from varde.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("posts/<int:post_id>/", views.post_status, name="post_status"),
    path("posts/<int:post_id>/retry/", views.post_retry_failed, name="post_retry_failed"),
    path("unknown/<int:delivery_id>/settle/", views.unknown_settle, name="unknown_settle"),
]
