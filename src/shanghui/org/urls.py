"""Mounted at /a/<association_slug>/ under the namespace "org": the back office's pages under
office/org/ and the public organisation chart at org-chart/."""

from django.urls import path

from shanghui.org.views import terms, trash, units

office = "office/org/"

urlpatterns = [
    path(office, terms.overview, name="overview"),
    path(f"{office}chart-settings/", terms.chart_settings, name="chart_settings"),
    path(f"{office}terms/", terms.terms, name="terms"),
    path(f"{office}terms/change/", terms.term_change, name="term_change"),
    path(f"{office}terms/<int:term_id>/", terms.term, name="term"),
    path(f"{office}terms/<int:term_id>/edit/", terms.term_edit, name="term_edit"),
    path(f"{office}terms/<int:term_id>/delete/", terms.term_delete, name="term_delete"),
    path(f"{office}appointments/<int:appointment_id>/", terms.appointment, name="appointment"),
    path(
        f"{office}appointments/<int:appointment_id>/delete/",
        terms.appointment_delete,
        name="appointment_delete",
    ),
    path(f"{office}posts/", terms.posts, name="posts"),
    path(f"{office}posts/defaults/", terms.posts_defaults, name="posts_defaults"),
    path(f"{office}posts/<int:post_id>/", terms.post, name="post"),
    path(f"{office}posts/<int:post_id>/delete/", terms.post_delete, name="post_delete"),
    path(f"{office}committees/", units.committees, name="committees"),
    path(f"{office}committees/<int:committee_id>/", units.committee, name="committee"),
    path(
        f"{office}committees/<int:committee_id>/edit/",
        units.committee_edit,
        name="committee_edit",
    ),
    path(
        f"{office}committees/<int:committee_id>/delete/",
        units.committee_delete,
        name="committee_delete",
    ),
    path(
        f"{office}committees/<int:committee_id>/members/<int:membership_id>/",
        units.membership,
        name="membership",
    ),
    path(f"{office}branches/", units.branches, name="branches"),
    path(f"{office}branches/<int:branch_id>/", units.branch, name="branch"),
    path(f"{office}branches/<int:branch_id>/delete/", units.branch_delete, name="branch_delete"),
    path(f"{office}group-members/", units.group_members, name="group_members"),
    path(f"{office}group-members/<int:group_member_id>/", units.group_member, name="group_member"),
    path(
        f"{office}group-members/<int:group_member_id>/delete/",
        units.group_member_delete,
        name="group_member_delete",
    ),
    path(f"{office}sharing/", units.sharing, name="sharing"),
    path(f"{office}trash/", trash.trash, name="trash"),
    path(f"{office}trash/terms/<int:term_id>/", trash.term_restore, name="term_restore"),
    path(f"{office}trash/posts/<int:post_id>/", trash.post_restore, name="post_restore"),
    path(
        f"{office}trash/appointments/<int:appointment_id>/",
        trash.appointment_restore,
        name="appointment_restore",
    ),
    path(
        f"{office}trash/committees/<int:committee_id>/",
        trash.committee_restore,
        name="committee_restore",
    ),
    path(f"{office}trash/branches/<int:branch_id>/", trash.branch_restore, name="branch_restore"),
    path(
        f"{office}trash/representatives/<int:representative_id>/",
        trash.representative_restore,
        name="representative_restore",
    ),
    path("org-chart/", terms.chart, name="chart"),
]
