from django.urls import path

from shanghui.members import views

space_urlpatterns = [
    path("", views.space_home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("directory/<int:member_id>/", views.member_card, name="member_card"),
]

office_urlpatterns = [
    path("members/", views.office_members, name="members"),
    path("members/<int:member_id>/", views.office_member, name="member"),
    path("members/export/", views.office_members_export, name="members_export"),
    path(
        "members/export/<str:job_id>/",
        views.office_members_export_progress,
        name="members_export_progress",
    ),
]
