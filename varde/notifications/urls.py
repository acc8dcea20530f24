from django.urls import path

from varde.notifications import views, views_webhooks

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("choices/", views.preferences, name="preferences"),
    path("webhooks/<str:notification_kind>/", views_webhooks.webhook, name="webhook"),
    path(
        "webhooks/<str:notification_kind>/save/",
        views_webhooks.webhook_save,
        name="webhook_save",
    ),
    path(
        "webhooks/<str:notification_kind>/secret/",
        views_webhooks.webhook_rotate,
        name="webhook_rotate",
    ),
    path(
        "webhooks/<str:notification_kind>/test/",
        views_webhooks.webhook_test,
        name="webhook_test",
    ),
    path(
        "webhooks/<str:notification_kind>/remove/",
        views_webhooks.webhook_remove,
        name="webhook_remove",
    ),
]
