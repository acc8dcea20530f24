from django.urls import path

from varde.composer import views_compose, views_hashtags, views_posts, views_remove

app_name = "content"

urlpatterns = [
    path("new/", views_compose.compose, name="compose"),
    path("<int:post_id>/", views_posts.post_detail, name="post"),
    path("<int:post_id>/edit/", views_compose.post_edit, name="post_edit"),
    path("<int:post_id>/delete/", views_remove.post_delete, name="post_delete"),
    path("<int:post_id>/unschedule/", views_remove.post_unschedule, name="post_unschedule"),
    path("<int:post_id>/duplicate/", views_posts.post_duplicate, name="post_duplicate"),
    path("<int:post_id>/media/<int:media_id>/", views_posts.media_file, name="media_file"),
    path(
        "<int:post_id>/media/<int:media_id>/remove/", views_posts.media_remove, name="media_remove"
    ),
    # htmx endpoints of the composer; each takes the whole composer form.
    path("composer/checks/", views_compose.checks, name="checks"),
    path("composer/autosave/", views_compose.autosave, name="autosave"),
    path("composer/media/", views_compose.media_add, name="media_add"),
    path("composer/next-slot/", views_compose.next_slot, name="next_slot"),
    path("composer/thread-part/", views_compose.thread_part, name="thread_part"),
    path("composer/plan-week/", views_compose.plan_week, name="plan_week"),
    path("composer/hashtags/", views_hashtags.hashtag_context, name="hashtag_context"),
]
