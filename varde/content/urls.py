from django.urls import path

from varde.content import views

app_name = "content"

urlpatterns = [
    path("new/", views.compose, name="compose"),
    path("<int:post_id>/", views.post_detail, name="post"),
    path("<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("<int:post_id>/duplicate/", views.post_duplicate, name="post_duplicate"),
    path("<int:post_id>/media/<int:media_id>/", views.media_file, name="media_file"),
    path("<int:post_id>/media/<int:media_id>/remove/", views.media_remove, name="media_remove"),
    # htmx endpoints of the composer; each takes the whole composer form.
    path("composer/checks/", views.checks, name="checks"),
    path("composer/autosave/", views.autosave, name="autosave"),
    path("composer/media/", views.media_add, name="media_add"),
    path("composer/next-slot/", views.next_slot, name="next_slot"),
    path("composer/thread-part/", views.thread_part, name="thread_part"),
]
