"""The platform console's API (平台运营, operators only): onboarding applications and their
decision, the associations and their status."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from shanghui.accounts import selectors as account_selectors
from shanghui.accounts.api.schemas import AssociationStatusIn, OnboardingRejectIn, ResentOut
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.services import onboarding
from shanghui.associations import selectors
from shanghui.associations.api.schemas import ApplicationOut, AssociationOut
from shanghui.associations.models import Association
from shanghui.associations.services import associations as association_services
from shanghui.associations.services import onboarding as association_onboarding
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS

platform_router = Router(tags=["平台运营"])


@platform_router.get(
    "/applications",
    operation_id="shanghui_associations_api_application_list",
    response={200: list[ApplicationOut], **ERRORS},
)
@paginate(Pages)
def application_list(request: HttpRequest, status: str = "") -> object:
    """Onboarding applications (platform operators only)."""
    account_selectors.access_platform_operator(actor=signed_in_user(request))
    return selectors.onboarding_applications(status=status)


@platform_router.get(
    "/applications/{application_id}",
    operation_id="shanghui_associations_api_application_detail",
    response={200: ApplicationOut, **ERRORS},
)
def application_detail(request: HttpRequest, application_id: int) -> object:
    return account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )


@platform_router.post(
    "/applications/{application_id}/approve",
    operation_id="shanghui_associations_api_application_approve",
    response={200: AssociationOut, **ERRORS},
)
def application_approve(request: HttpRequest, application_id: int) -> object:
    """Approve: the association's space opens and its contact person is invited as its
    first administrator."""
    application = account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )
    return onboarding.onboarding_approve(actor=signed_in_user(request), application=application)


@platform_router.post(
    "/applications/{application_id}/reject",
    operation_id="shanghui_associations_api_application_reject",
    response={200: ApplicationOut, **ERRORS},
)
def application_reject(
    request: HttpRequest, application_id: int, payload: OnboardingRejectIn
) -> object:
    application = account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )
    return association_onboarding.onboarding_reject(
        actor=signed_in_user(request), application=application, reason=payload.reason
    )


@platform_router.get(
    "/associations",
    operation_id="shanghui_associations_api_platform_association_list",
    response={200: list[AssociationOut], **ERRORS},
)
@paginate(Pages)
def platform_association_list(request: HttpRequest, status: str = "") -> object:
    account_selectors.access_platform_operator(actor=signed_in_user(request))
    qs = Association.objects.order_by("name", "id")
    return qs.filter(status=status) if status else qs


@platform_router.post(
    "/associations/{association_id}/invitations",
    operation_id="shanghui_associations_api_platform_association_reinvite",
    response={200: ResentOut, **ERRORS},
)
def platform_association_reinvite(request: HttpRequest, association_id: int) -> object:
    """Re-send activation links to an association's administrators who never set a password."""
    association = account_selectors.access_platform_association(
        actor=signed_in_user(request), association_id=association_id
    )
    return {
        "sent": onboarding.admin_invitations_resend(
            actor=signed_in_user(request), association=association
        )
    }


@platform_router.post(
    "/associations/{association_id}/status",
    operation_id="shanghui_associations_api_platform_association_status",
    response={200: AssociationOut, **ERRORS},
)
def platform_association_status(
    request: HttpRequest, association_id: int, payload: AssociationStatusIn
) -> object:
    """Suspend an active association or restore a suspended one."""
    association = account_selectors.access_platform_association(
        actor=signed_in_user(request), association_id=association_id
    )
    return association_services.association_set_status(
        actor=signed_in_user(request),
        association=association,
        status=payload.status,
        reason=payload.reason,
    )
