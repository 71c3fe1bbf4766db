"""The announcement routes of namespace "publishing" (included in ``publishing.urls``):
members' notices under /a/<slug>/notices/, the signed SMS link under
/a/<slug>/notices/<id>/r/<key>/, the back office under /a/<slug>/office/notices/."""

from django.urls import path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.publishing.views import announcements as views

N = f"{SPACE}notices/"
NA = f"{N}<int:announcement_id>/"
LINK = f"{NA}r/<str:receipt_key>/"
ON = f"{OFFICE}notices/"
ONA = f"{ON}<int:announcement_id>/"
ATT = "attachments/<int:attachment_id>/"

urlpatterns = [
    # Members, on the phone
    path(N, views.member_list, name="announcements"),
    path(NA, views.member_announcement, name="announcement"),
    path(f"{NA}{ATT}", views.member_attachment, name="announcement_attachment"),
    # The SMS's personal link: no sign-in, signed for one recipient of one announcement
    path(LINK, views.announcement_open, name="announcement_open"),
    path(f"{LINK}{ATT}", views.announcement_open_attachment, name="announcement_open_attachment"),
    # The back office
    path(ON, views.office_list, name="office_announcements"),
    path(f"{ON}new/", views.office_new, name="office_announcement_new"),
    path(ONA, views.office_announcement, name="office_announcement"),
    path(f"{ONA}edit/", views.office_edit, name="office_announcement_edit"),
    path(f"{ONA}delete/", views.office_delete, name="office_announcement_delete"),
    path(f"{ONA}audience/", views.office_audience, name="office_announcement_audience"),
    path(f"{ONA}attachments/", views.office_attach, name="office_announcement_attach"),
    path(f"{ONA}{ATT}", views.office_attachment, name="office_announcement_attachment"),
    path(f"{ONA}{ATT}remove/", views.office_detach, name="office_announcement_detach"),
    path(f"{ONA}send/", views.office_send, name="office_announcement_send"),
    path(f"{ONA}receipts/", views.office_receipts, name="office_announcement_receipts"),
    path(f"{ONA}remind/", views.office_remind, name="office_announcement_remind"),
    path(f"{ONA}replies.xlsx", views.office_replies_xlsx, name="office_announcement_replies"),
]
