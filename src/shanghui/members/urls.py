from django.urls import path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.members.views import applications, imports, levels, members, pictures

app_name = "members"

urlpatterns = [
    path(SPACE, members.space_home, name="home"),
    path(f"{SPACE}directory/", members.directory, name="directory"),
    path(f"{SPACE}directory/<int:member_id>/", members.member_card, name="member_card"),
    path(f"{SPACE}me/card/", members.my_card, name="my_card"),
    path(f"{SPACE}directory/<int:member_id>/logo/", pictures.member_logo, name="member_logo"),
    path(
        f"{SPACE}directory/<int:member_id>/people/<int:representative_id>/photo/",
        pictures.representative_photo,
        name="representative_photo",
    ),
    path(f"{SPACE}join/", applications.apply, name="member_apply"),
    path(f"{SPACE}join/done/", applications.apply_done, name="member_apply_done"),
    path(
        f"{SPACE}join/<int:member_application_id>/amend/",
        applications.amend,
        name="member_apply_amend",
    ),
    # The back office
    path(f"{OFFICE}members/", members.office_members, name="office_members"),
    path(f"{OFFICE}members/new/", members.office_member_create, name="office_member_create"),
    path(
        f"{OFFICE}members/<int:member_id>/edit/",
        members.office_member_edit,
        name="office_member_edit",
    ),
    path(
        f"{OFFICE}members/<int:member_id>/showcase/",
        members.office_member_showcase,
        name="office_member_showcase",
    ),
    path(
        f"{OFFICE}members/<int:member_id>/status/",
        members.office_member_status,
        name="office_member_status",
    ),
    path(
        f"{OFFICE}members/<int:member_id>/reveal/",
        members.office_member_reveal,
        name="office_member_reveal",
    ),
    path(
        f"{OFFICE}members/<int:member_id>/representatives/",
        members.office_representative_add,
        name="office_representative_add",
    ),
    path(
        f"{OFFICE}members/<int:member_id>/representatives/<int:representative_id>/remove/",
        members.office_representative_remove,
        name="office_representative_remove",
    ),
    path(
        f"{OFFICE}members/<int:member_id>/logo/",
        pictures.office_member_logo,
        name="office_member_logo",
    ),
    path(
        f"{OFFICE}members/<int:member_id>/representatives/<int:representative_id>/photo/",
        pictures.office_representative_photo,
        name="office_representative_photo",
    ),
    path(f"{OFFICE}levels/", levels.office_levels, name="office_levels"),
    path(f"{OFFICE}applications/", applications.office_applications, name="office_applications"),
    path(
        f"{OFFICE}applications/<int:member_application_id>/",
        applications.office_application,
        name="office_application",
    ),
    path(
        f"{OFFICE}applications/<int:member_application_id>/reveal/",
        applications.office_application_reveal,
        name="office_application_reveal",
    ),
    path(
        f"{OFFICE}applications/<int:member_application_id>/licence/",
        applications.office_application_licence,
        name="office_application_licence",
    ),
    path(f"{OFFICE}members/<int:member_id>/", members.office_member, name="office_member"),
    path(f"{OFFICE}members/export/", members.office_members_export, name="office_members_export"),
    path(
        f"{OFFICE}members/export/<str:job_id>/",
        members.office_members_export_progress,
        name="office_members_export_progress",
    ),
    path(f"{OFFICE}members/import/", imports.office_import, name="office_members_import"),
    path(
        f"{OFFICE}members/import/template/",
        imports.office_import_template,
        name="office_members_import_template",
    ),
    path(
        f"{OFFICE}members/import/<int:import_id>/",
        imports.office_import_detail,
        name="office_members_import_detail",
    ),
    path(
        f"{OFFICE}members/import/<int:import_id>/mapping/",
        imports.office_import_mapping,
        name="office_members_import_mapping",
    ),
    path(
        f"{OFFICE}members/import/<int:import_id>/validate/",
        imports.office_import_validate,
        name="office_members_import_validate",
    ),
    path(
        f"{OFFICE}members/import/<int:import_id>/progress/",
        imports.office_import_progress,
        name="office_members_import_progress",
    ),
    path(
        f"{OFFICE}members/import/<int:import_id>/commit/",
        imports.office_import_commit,
        name="office_members_import_commit",
    ),
    path(
        f"{OFFICE}members/import/<int:import_id>/report/",
        imports.office_import_report,
        name="office_members_import_report",
    ),
]
