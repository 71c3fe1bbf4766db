"""Namespace "org": the back office's pages under /a/<association_slug>/office/org/ and the
public organisation chart at /a/<association_slug>/org-chart/."""

from django.urls import path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.org.views import terms, trash, units

office = f"{OFFICE}org/"

app_name = "org"

urlpatterns = [
    path(office, terms.overview, name="office_overview"),
    path(f"{office}chart-settings/", terms.chart_settings, name="office_chart_settings"),
    path(f"{office}terms/", terms.terms, name="office_terms"),
    path(f"{office}terms/change/", terms.term_change, name="office_term_change"),
    path(f"{office}terms/<int:term_id>/", terms.term, name="office_term"),
    path(f"{office}terms/<int:term_id>/edit/", terms.term_edit, name="office_term_edit"),
    path(f"{office}terms/<int:term_id>/delete/", terms.term_delete, name="office_term_delete"),
    path(
        f"{office}appointments/<int:appointment_id>/", terms.appointment, name="office_appointment"
    ),
    path(
        f"{office}appointments/<int:appointment_id>/delete/",
        terms.appointment_delete,
        name="office_appointment_delete",
    ),
    path(f"{office}posts/", terms.posts, name="office_posts"),
    path(f"{office}posts/defaults/", terms.posts_defaults, name="office_posts_defaults"),
    path(f"{office}posts/<int:post_id>/", terms.post, name="office_post"),
    path(f"{office}posts/<int:post_id>/delete/", terms.post_delete, name="office_post_delete"),
    path(f"{office}committees/", units.committees, name="office_committees"),
    path(f"{office}committees/<int:committee_id>/", units.committee, name="office_committee"),
    path(
        f"{office}committees/<int:committee_id>/edit/",
        units.committee_edit,
        name="office_committee_edit",
    ),
    path(
        f"{office}committees/<int:committee_id>/delete/",
        units.committee_delete,
        name="office_committee_delete",
    ),
    path(
        f"{office}committees/<int:committee_id>/members/<int:membership_id>/",
        units.membership,
        name="office_membership",
    ),
    path(f"{office}branches/", units.branches, name="office_branches"),
    path(f"{office}branches/<int:branch_id>/", units.branch, name="office_branch"),
    path(
        f"{office}branches/<int:branch_id>/delete/",
        units.branch_delete,
        name="office_branch_delete",
    ),
    path(f"{office}group-members/", units.group_members, name="office_group_members"),
    path(
        f"{office}group-members/<int:group_member_id>/",
        units.group_member,
        name="office_group_member",
    ),
    path(
        f"{office}group-members/<int:group_member_id>/delete/",
        units.group_member_delete,
        name="office_group_member_delete",
    ),
    path(f"{office}sharing/", units.sharing, name="office_sharing"),
    path(f"{office}trash/", trash.trash, name="office_trash"),
    path(f"{office}trash/terms/<int:term_id>/", trash.term_restore, name="office_term_restore"),
    path(f"{office}trash/posts/<int:post_id>/", trash.post_restore, name="office_post_restore"),
    path(
        f"{office}trash/appointments/<int:appointment_id>/",
        trash.appointment_restore,
        name="office_appointment_restore",
    ),
    path(
        f"{office}trash/committees/<int:committee_id>/",
        trash.committee_restore,
        name="office_committee_restore",
    ),
    path(
        f"{office}trash/branches/<int:branch_id>/",
        trash.branch_restore,
        name="office_branch_restore",
    ),
    path(
        f"{office}trash/representatives/<int:representative_id>/",
        trash.representative_restore,
        name="office_representative_restore",
    ),
    path(f"{SPACE}org-chart/", terms.chart, name="chart"),
]
