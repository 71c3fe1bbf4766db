from django.urls import path

from shanghui.dues.views import arrears, bills, mine, schedules

# /a/<association_slug>/dues/… — a member's own bills and receipts (namespace "space").
space_urlpatterns = [
    path("dues/", mine.my_dues, name="my_dues"),
    path("dues/bills/<int:bill_id>/", mine.my_bill, name="my_dues_bill"),
    path(
        "dues/bills/<int:bill_id>/pay-online/",
        mine.my_bill_pay_online,
        name="my_dues_pay_online",
    ),
    path(
        "dues/bills/<int:bill_id>/certificate.pdf",
        mine.my_certificate,
        name="my_dues_certificate",
    ),
    path("dues/receipts/<int:payment_id>.pdf", mine.my_receipt, name="my_dues_receipt"),
]

# /a/<association_slug>/office/dues/… — the secretariat (namespace "office").
office_urlpatterns = [
    path("dues/", bills.office_bills, name="dues"),
    path("dues/schedules/", schedules.office_schedules, name="dues_schedules"),
    path("dues/generate/", bills.office_generate, name="dues_generate"),
    path(
        "dues/generate/<str:job_id>/",
        bills.office_generate_progress,
        name="dues_generate_progress",
    ),
    path("dues/bills/<int:bill_id>/", bills.office_bill, name="dues_bill"),
    path("members/<int:member_id>/dues/", bills.office_member_dues, name="member_dues"),
    path(
        "dues/bills/<int:bill_id>/payments/",
        bills.office_payment_record,
        name="dues_payment_record",
    ),
    path("dues/bills/<int:bill_id>/close/", bills.office_bill_close, name="dues_bill_close"),
    path(
        "dues/bills/<int:bill_id>/certificate.pdf",
        bills.office_certificate,
        name="dues_certificate",
    ),
    path(
        "dues/payments/<int:payment_id>/reverse/",
        bills.office_payment_reverse,
        name="dues_payment_reverse",
    ),
    path(
        "dues/payments/<int:payment_id>/receipt.pdf",
        bills.office_receipt,
        name="dues_receipt",
    ),
    path("dues/arrears/", arrears.office_arrears, name="dues_arrears"),
    path("dues/arrears/remind/", arrears.office_arrears_remind, name="dues_arrears_remind"),
    path("dues/arrears/export/", arrears.office_arrears_export, name="dues_arrears_export"),
    path(
        "dues/arrears/export/<str:job_id>/",
        arrears.office_arrears_export_progress,
        name="dues_arrears_export_progress",
    ),
]
