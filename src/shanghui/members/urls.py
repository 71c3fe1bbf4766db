from django.urls import path

from shanghui.members.views import applications, imports, levels, members, pictures

space_urlpatterns = [
    path("", members.space_home, name="home"),
    path("directory/", members.directory, name="directory"),
    path("directory/<int:member_id>/", members.member_card, name="member_card"),
    path("me/card/", members.my_card, name="my_card"),
    path("directory/<int:member_id>/logo/", pictures.member_logo, name="member_logo"),
    path(
        "directory/<int:member_id>/people/<int:representative_id>/photo/",
        pictures.representative_photo,
        name="representative_photo",
    ),
    path("join/", applications.apply, name="member_apply"),
    path("join/done/", applications.apply_done, name="member_apply_done"),
    path(
        "join/<int:member_application_id>/amend/",
        applications.amend,
        name="member_apply_amend",
    ),
]

office_urlpatterns = [
    path("members/", members.office_members, name="members"),
    path("members/new/", members.office_member_create, name="member_create"),
    path("members/<int:member_id>/edit/", members.office_member_edit, name="member_edit"),
    path("members/<int:member_id>/status/", members.office_member_status, name="member_status"),
    path("members/<int:member_id>/reveal/", members.office_member_reveal, name="member_reveal"),
    path(
        "members/<int:member_id>/representatives/",
        members.office_representative_add,
        name="representative_add",
    ),
    path(
        "members/<int:member_id>/representatives/<int:representative_id>/remove/",
        members.office_representative_remove,
        name="representative_remove",
    ),
    path("members/<int:member_id>/logo/", pictures.office_member_logo, name="member_logo"),
    path(
        "members/<int:member_id>/representatives/<int:representative_id>/photo/",
        pictures.office_representative_photo,
        name="representative_photo",
    ),
    path("levels/", levels.office_levels, name="levels"),
    path("applications/", applications.office_applications, name="applications"),
    path(
        "applications/<int:member_application_id>/",
        applications.office_application,
        name="application",
    ),
    path(
        "applications/<int:member_application_id>/reveal/",
        applications.office_application_reveal,
        name="application_reveal",
    ),
    path(
        "applications/<int:member_application_id>/licence/",
        applications.office_application_licence,
        name="application_licence",
    ),
    path("members/<int:member_id>/", members.office_member, name="member"),
    path("members/export/", members.office_members_export, name="members_export"),
    path(
        "members/export/<str:job_id>/",
        members.office_members_export_progress,
        name="members_export_progress",
    ),
    path("members/import/", imports.office_import, name="members_import"),
    path(
        "members/import/template/",
        imports.office_import_template,
        name="members_import_template",
    ),
    path(
        "members/import/<int:import_id>/",
        imports.office_import_detail,
        name="members_import_detail",
    ),
    path(
        "members/import/<int:import_id>/mapping/",
        imports.office_import_mapping,
        name="members_import_mapping",
    ),
    path(
        "members/import/<int:import_id>/validate/",
        imports.office_import_validate,
        name="members_import_validate",
    ),
    path(
        "members/import/<int:import_id>/progress/",
        imports.office_import_progress,
        name="members_import_progress",
    ),
    path(
        "members/import/<int:import_id>/commit/",
        imports.office_import_commit,
        name="members_import_commit",
    ),
    path(
        "members/import/<int:import_id>/report/",
        imports.office_import_report,
        name="members_import_report",
    ),
]
