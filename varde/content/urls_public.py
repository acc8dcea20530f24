from django.urls import path

from varde.content import views_public

app_name = "public_media"

urlpatterns = [
    path("<str:token>/<str:filename>", views_public.media_file, name="file"),
]
