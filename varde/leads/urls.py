from django.urls import path

from varde.leads import views

app_name = "leads"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.lead_new, name="new"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("export.csv", views.export_csv, name="export"),
    path("crm/", views.crm, name="crm"),
    path("crm/rotate/", views.crm_rotate, name="crm_rotate"),
    path("<int:lead_id>/", views.lead_detail, name="detail"),
    path("<int:lead_id>/edit/", views.lead_edit, name="edit"),
    path("<int:lead_id>/move/", views.lead_move, name="move"),
    path("<int:lead_id>/note/", views.lead_note, name="note"),
    path("<int:lead_id>/link/", views.lead_link, name="link"),
    path("<int:lead_id>/merge/", views.lead_merge, name="merge"),
    path("<int:lead_id>/handoff/", views.lead_handoff, name="handoff"),
]
