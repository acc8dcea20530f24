from django.urls import path

from varde.newsletter import views_public

app_name = "newsletter_public"

urlpatterns = [
    path("<str:token>/subscribe/", views_public.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views_public.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views_public.unsubscribe, name="unsubscribe"),
]
