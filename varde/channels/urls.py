from django.urls import path

from varde.channels import views, views_pick, views_plan

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("connect/", views.connect_choose, name="connect_choose"),
    path("connect/<slug:network>/", views.connect, name="connect"),
    path("connect/choose/<str:pick_id>/", views_pick.pick, name="pick"),
    path("<int:channel_id>/", views.channel_detail, name="detail"),
    path("<int:channel_id>/plan/", views_plan.plan_tie, name="plan_tie"),
    path("<int:channel_id>/reconnect/", views.reconnect, name="reconnect"),
    path("<int:channel_id>/pause/", views.pause, name="pause"),
    path("<int:channel_id>/disconnect/", views.disconnect, name="disconnect"),
]
