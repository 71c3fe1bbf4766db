from django.urls import URLPattern, URLResolver, path

from shanghui.charity.views import sponsorship
from shanghui.core.urls import OFFICE, SPACE  # noqa: F401

app_name = "charity"

# Each part of the app keeps its routes in its own block below.
urlpatterns: list[URLPattern | URLResolver] = [
    # --- campaigns, partners and pledges ---------------------------------------------------
    # --- the donations ledger and acknowledgements -----------------------------------------
    # --- sponsorship ------------------------------------------------------------------------
    path(
        f"{OFFICE}charity/beneficiaries/",
        sponsorship.office_beneficiaries,
        name="office_beneficiaries",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/new/",
        sponsorship.office_beneficiary_new,
        name="office_beneficiary_new",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/",
        sponsorship.office_beneficiary,
        name="office_beneficiary",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/edit/",
        sponsorship.office_beneficiary_edit,
        name="office_beneficiary_edit",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/reveal/",
        sponsorship.office_beneficiary_reveal,
        name="office_beneficiary_reveal",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/withdraw-consent/",
        sponsorship.office_beneficiary_withdraw,
        name="office_beneficiary_withdraw",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/photo/",
        sponsorship.office_beneficiary_photo,
        name="office_beneficiary_photo",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/sponsorships/new/",
        sponsorship.office_sponsorship_new,
        name="office_sponsorship_new",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/visits/new/",
        sponsorship.office_visit_new,
        name="office_visit_new",
    ),
    path(
        f"{OFFICE}charity/beneficiaries/<int:beneficiary_id>/academic/new/",
        sponsorship.office_academic_new,
        name="office_academic_new",
    ),
    path(
        f"{OFFICE}charity/sponsorships/<int:sponsorship_id>/",
        sponsorship.office_sponsorship,
        name="office_sponsorship",
    ),
    path(
        f"{OFFICE}charity/sponsorships/<int:sponsorship_id>/schedule/",
        sponsorship.office_sponsorship_schedule,
        name="office_sponsorship_schedule",
    ),
    path(
        f"{OFFICE}charity/sponsorships/<int:sponsorship_id>/close/",
        sponsorship.office_sponsorship_close,
        name="office_sponsorship_close",
    ),
    path(
        f"{OFFICE}charity/disbursements/<int:disbursement_id>/pay/",
        sponsorship.office_disbursement_pay,
        name="office_disbursement_pay",
    ),
    path(
        f"{OFFICE}charity/visit-photos/<int:visit_photo_id>/",
        sponsorship.office_visit_photo,
        name="office_visit_photo",
    ),
    # --- goods distributions and honors -----------------------------------------------------
    # --- totals, disclosure and the federation roll-up --------------------------------------
    # --- end ----------------------------------------------------------------------------------
]
