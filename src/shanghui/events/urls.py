"""Namespace "events": members' pages under /a/<association_slug>/events/, the back office
under /a/<association_slug>/office/events/, the public calendar under
/a/<association_slug>/calendar/."""

from django.urls import path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.events.views import (
    after,
    checkin,
    files,
    member,
    member_record,
    mine,
    office,
    public,
    registrations,
    setup,
)

E = f"{SPACE}events/<int:event_id>/"
O = f"{OFFICE}events/"  # noqa: E741 - the back office prefix
OE = f"{O}<int:event_id>/"
R = "registrations/<int:registration_id>/"
TT = f"{OE}ticket-types/<int:ticket_type_id>/"
S = f"{OE}sessions/<int:session_id>/"
L = f"{OE}checkin-lists/<int:list_id>/"

app_name = "events"

urlpatterns = [
    # Members, on the phone
    path(f"{SPACE}events/", member.event_list, name="list"),
    path(f"{SPACE}events/notices/", member.notices, name="notices"),
    path(f"{SPACE}me/events/", mine.my_events, name="mine"),
    path(f"{SPACE}events/feed/<str:feed_key>.ics", files.member_feed, name="member_feed"),
    path(f"{SPACE}events/feed/reset/", member.feed_reset, name="feed_reset"),
    path(E, member.event_detail, name="event"),
    path(f"{E}register/", member.register, name="register"),
    path(f"{E}cancel/", member.cancel, name="cancel"),
    path(f"{E}ticket/", member.ticket, name="ticket"),
    path(f"{E}ticket.png", files.my_ticket_png, name="ticket_png"),
    path(f"{E}event.ics", files.event_ics, name="event_ics"),
    path(f"{E}cover/", files.cover, name="cover"),
    path(f"{E}feedback/", member.feedback, name="feedback"),
    path(f"{E}certificate.pdf", files.my_certificate, name="certificate"),
    path(f"{E}documents/<int:document_id>/", files.document, name="document"),
    # Links in messages to people without an account here: signed, no sign-in
    path(f"{SPACE}events/pass/<str:key>/", public.registration_pass, name="pass"),
    path(f"{E}invited/<str:key>/", public.invited, name="invited"),
    # The public calendar (opt-in) and guest registration
    path(f"{SPACE}calendar/", public.calendar, name="public_calendar"),
    path(f"{SPACE}calendar/feed.ics", files.public_feed, name="public_feed"),
    path(f"{SPACE}calendar/<int:event_id>/", public.event, name="public_event"),
    path(
        f"{SPACE}calendar/<int:event_id>/event.ics", files.public_event_ics, name="public_event_ics"
    ),
    path(f"{SPACE}calendar/<int:event_id>/cover/", files.public_cover, name="public_cover"),
    path(f"{SPACE}calendar/<int:event_id>/register/", public.register, name="public_register"),
    path(
        f"{SPACE}calendar/<int:event_id>/ticket.png",
        files.guest_ticket_png,
        name="guest_ticket_png",
    ),
    # The back office
    path(O, office.event_list, name="office_list"),
    path(
        f"{OFFICE}members/<int:member_id>/events/",
        member_record.office_member_events,
        name="office_member_events",
    ),
    path(f"{O}new/", office.event_new, name="office_new"),
    path(f"{O}settings/", office.calendar_settings, name="office_settings"),
    path(f"{O}activity/", office.member_activity, name="office_activity"),
    path(f"{O}tickets/<str:ticket_token>/", office.ticket_lookup, name="office_ticket"),
    path(OE, office.event_overview, name="office_event"),
    path(f"{OE}edit/", office.event_edit, name="office_edit"),
    path(f"{OE}publish/", office.event_publish, name="office_publish"),
    path(f"{OE}cancel/", office.event_cancel, name="office_cancel"),
    path(f"{OE}invite/", office.invitations_send, name="office_invite"),
    path(f"{OE}audience/", office.audience, name="office_audience"),
    path(f"{OE}setup/", setup.setup, name="office_setup"),
    path(f"{TT}edit/", setup.ticket_type_edit, name="office_ticket_type_edit"),
    path(f"{TT}delete/", setup.ticket_type_delete, name="office_ticket_type_delete"),
    path(f"{S}edit/", setup.session_edit, name="office_session_edit"),
    path(f"{S}delete/", setup.session_delete, name="office_session_delete"),
    path(f"{L}edit/", setup.checkin_list_edit, name="office_checkin_list_edit"),
    path(f"{L}delete/", setup.checkin_list_delete, name="office_checkin_list_delete"),
    path(
        f"{OE}documents/<int:document_id>/delete/",
        setup.document_delete,
        name="office_document_delete",
    ),
    path(
        f"{OE}checkin-staff/<int:checkin_staff_id>/remove/",
        setup.checkin_staff_remove,
        name="office_checkin_staff_remove",
    ),
    path(f"{OE}registrations/add/", registrations.registration_add, name="office_registration_add"),
    *[
        path(
            f"{OE}{R}{action}/",
            registrations.registration_action,
            {"action": action},
            name=f"office_registration_{action}",
        )
        for action in ("approve", "reject", "cancel", "paid", "unpaid")
    ],
    path(f"{OE}{R}reveal/", registrations.registration_reveal, name="office_registration_reveal"),
    path(f"{OE}{R}ticket.png", files.office_ticket_png, name="office_ticket_png"),
    path(f"{OE}{R}certificate.pdf", files.office_certificate, name="office_certificate"),
    path(f"{OE}attendance/", after.attendance, name="office_attendance"),
    path(f"{OE}minutes/", after.minutes, name="office_minutes"),
    path(f"{OE}feedback/", after.feedback, name="office_feedback"),
    path(f"{OE}export/registrants.xlsx", files.registrants_xlsx, name="office_export_registrants"),
    path(f"{OE}export/sign-in.xlsx", files.signin_xlsx, name="office_export_signin_xlsx"),
    path(f"{OE}export/sign-in.pdf", files.signin_pdf, name="office_export_signin_pdf"),
    path(f"{OE}export/badges.pdf", files.badges_pdf, name="office_export_badges"),
    path(f"{OE}export/jobs/<str:job_id>/", files.export_job, name="office_export_job"),
    # Check-in, on the phone of the secretariat or of the event's 签到员
    path(f"{OE}{R}photo/", checkin.photo, name="office_checkin_photo"),
    path(f"{OE}checkin/", checkin.choose_list, name="office_checkin_lists"),
    path(f"{OE}checkin/<int:list_id>/", checkin.scan, name="office_checkin"),
    path(f"{OE}checkin/<int:list_id>/count/", checkin.count, name="office_checkin_count"),
    path(
        f"{OE}checkin/<int:list_id>/{R}",
        checkin.person,
        name="office_checkin_person",
    ),
]
