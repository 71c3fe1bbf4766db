from django.urls import path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.dues.views import arrears, bills, mine, schedules

app_name = "dues"

urlpatterns = [
    # /a/<association_slug>/dues/… — a member's own bills and receipts
    path(f"{SPACE}dues/", mine.my_dues, name="my_dues"),
    path(f"{SPACE}dues/bills/<int:bill_id>/", mine.my_bill, name="my_dues_bill"),
    path(
        f"{SPACE}dues/bills/<int:bill_id>/pay-online/",
        mine.my_bill_pay_online,
        name="my_dues_pay_online",
    ),
    path(
        f"{SPACE}dues/bills/<int:bill_id>/certificate.pdf",
        mine.my_certificate,
        name="my_dues_certificate",
    ),
    path(f"{SPACE}dues/receipts/<int:payment_id>.pdf", mine.my_receipt, name="my_dues_receipt"),
    # /a/<association_slug>/office/dues/… — the secretariat
    path(f"{OFFICE}dues/", bills.office_bills, name="office_dues"),
    path(f"{OFFICE}dues/schedules/", schedules.office_schedules, name="office_dues_schedules"),
    path(f"{OFFICE}dues/generate/", bills.office_generate, name="office_dues_generate"),
    path(
        f"{OFFICE}dues/generate/<str:job_id>/",
        bills.office_generate_progress,
        name="office_dues_generate_progress",
    ),
    path(f"{OFFICE}dues/bills/<int:bill_id>/", bills.office_bill, name="office_dues_bill"),
    path(
        f"{OFFICE}members/<int:member_id>/dues/",
        bills.office_member_dues,
        name="office_member_dues",
    ),
    path(
        f"{OFFICE}dues/bills/<int:bill_id>/payments/",
        bills.office_payment_record,
        name="office_dues_payment_record",
    ),
    path(
        f"{OFFICE}dues/bills/<int:bill_id>/close/",
        bills.office_bill_close,
        name="office_dues_bill_close",
    ),
    path(
        f"{OFFICE}dues/bills/<int:bill_id>/certificate.pdf",
        bills.office_certificate,
        name="office_dues_certificate",
    ),
    path(
        f"{OFFICE}dues/payments/<int:payment_id>/reverse/",
        bills.office_payment_reverse,
        name="office_dues_payment_reverse",
    ),
    path(
        f"{OFFICE}dues/payments/<int:payment_id>/receipt.pdf",
        bills.office_receipt,
        name="office_dues_receipt",
    ),
    path(f"{OFFICE}dues/arrears/", arrears.office_arrears, name="office_dues_arrears"),
    path(
        f"{OFFICE}dues/arrears/remind/",
        arrears.office_arrears_remind,
        name="office_dues_arrears_remind",
    ),
    path(
        f"{OFFICE}dues/arrears/export/",
        arrears.office_arrears_export,
        name="office_dues_arrears_export",
    ),
    path(
        f"{OFFICE}dues/arrears/export/<str:job_id>/",
        arrears.office_arrears_export_progress,
        name="office_dues_arrears_export_progress",
    ),
]
