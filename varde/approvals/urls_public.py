"""The client's review pages: no account, only the token in the address."""

from django.urls import path

from varde.approvals import views_client

app_name = "client_review"

urlpatterns = [
    path("<str:token>/", views_client.review, name="review"),
    path("<str:token>/media/<int:media_id>/", views_client.media, name="media"),
]
