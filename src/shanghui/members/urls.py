from django.urls import path

from shanghui.members import application_views, import_views, picture_views, views

space_urlpatterns = [
    path("", views.space_home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("directory/<int:member_id>/", views.member_card, name="member_card"),
    path("me/card/", views.my_card, name="my_card"),
    path("directory/<int:member_id>/logo/", picture_views.member_logo, name="member_logo"),
    path(
        "directory/<int:member_id>/people/<int:representative_id>/photo/",
        picture_views.representative_photo,
        name="representative_photo",
    ),
    path("join/", application_views.apply, name="member_apply"),
    path("join/done/", application_views.apply_done, name="member_apply_done"),
    path(
        "join/<int:member_application_id>/amend/",
        application_views.amend,
        name="member_apply_amend",
    ),
]

office_urlpatterns = [
    path("members/", views.office_members, name="members"),
    path("members/new/", views.office_member_create, name="member_create"),
    path("members/<int:member_id>/edit/", views.office_member_edit, name="member_edit"),
    path("members/<int:member_id>/status/", views.office_member_status, name="member_status"),
    path("members/<int:member_id>/reveal/", views.office_member_reveal, name="member_reveal"),
    path(
        "members/<int:member_id>/representatives/",
        views.office_representative_add,
        name="representative_add",
    ),
    path(
        "members/<int:member_id>/representatives/<int:representative_id>/remove/",
        views.office_representative_remove,
        name="representative_remove",
    ),
    path("members/<int:member_id>/logo/", picture_views.office_member_logo, name="member_logo"),
    path(
        "members/<int:member_id>/representatives/<int:representative_id>/photo/",
        picture_views.office_representative_photo,
        name="representative_photo",
    ),
    path("levels/", views.office_levels, name="levels"),
    path("applications/", application_views.office_applications, name="applications"),
    path(
        "applications/<int:member_application_id>/",
        application_views.office_application,
        name="application",
    ),
    path(
        "applications/<int:member_application_id>/reveal/",
        application_views.office_application_reveal,
        name="application_reveal",
    ),
    path(
        "applications/<int:member_application_id>/licence/",
        application_views.office_application_licence,
        name="application_licence",
    ),
    path("members/<int:member_id>/", views.office_member, name="member"),
    path("members/export/", views.office_members_export, name="members_export"),
    path(
        "members/export/<str:job_id>/",
        views.office_members_export_progress,
        name="members_export_progress",
    ),
    path("members/import/", import_views.office_import, name="members_import"),
    path(
        "members/import/template/",
        import_views.office_import_template,
        name="members_import_template",
    ),
    path(
        "members/import/<int:import_id>/",
        import_views.office_import_detail,
        name="members_import_detail",
    ),
    path(
        "members/import/<int:import_id>/mapping/",
        import_views.office_import_mapping,
        name="members_import_mapping",
    ),
    path(
        "members/import/<int:import_id>/validate/",
        import_views.office_import_validate,
        name="members_import_validate",
    ),
    path(
        "members/import/<int:import_id>/progress/",
        import_views.office_import_progress,
        name="members_import_progress",
    ),
    path(
        "members/import/<int:import_id>/commit/",
        import_views.office_import_commit,
        name="members_import_commit",
    ),
    path(
        "members/import/<int:import_id>/report/",
        import_views.office_import_report,
        name="members_import_report",
    ),
]
