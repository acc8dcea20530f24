from django.urls import path

from varde.newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("", views.index, name="index"),
    path("lists/new/", views.list_new, name="list_new"),
    path("lists/<int:list_id>/", views.list_detail, name="list"),
    path("lists/<int:list_id>/add/", views.subscriber_add, name="subscriber_add"),
    path("lists/<int:list_id>/import/", views.subscribers_import, name="import"),
    path(
        "lists/<int:list_id>/subscribers/<int:subscriber_id>/remove/",
        views.subscriber_remove,
        name="subscriber_remove",
    ),
]
