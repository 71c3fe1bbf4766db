"""Demo seed, second step: the platform operator and the demo associations' secretariat
administrators (after ``associations.demo`` created the associations). Runs inside the
``seed_demo`` command's transaction."""

from django.contrib.auth.password_validation import validate_password

from shanghui.accounts.models import PrivacyNotice, Role, User
from shanghui.accounts.services.account import consent_record, current_privacy_notice
from shanghui.accounts.services.roles import role_grant
from shanghui.core.demo import (
    DEMO_ASSOCIATIONS,
    DEMO_PASSWORD,
    OPERATOR_NAME,
    OPERATOR_PHONE,
    DemoContext,
)
from shanghui.core.tenancy import tenant_context


def demo_user(
    *, phone: str, name: str, notice: PrivacyNotice, is_platform_operator: bool = False
) -> User:
    """The demo account for ``phone`` with the demo password and consent to ``notice``; an
    existing account keeps its password."""
    user = User.objects.filter(phone=phone).first()
    if user is None:
        validate_password(DEMO_PASSWORD, User(phone=phone, name=name))
        user = User.objects.create_user(
            phone=phone,
            password=DEMO_PASSWORD,
            name=name,
            is_platform_operator=is_platform_operator,
        )
    consent_record(user=user, notice=notice)
    return user


def seed(ctx: DemoContext) -> None:
    notice = current_privacy_notice()
    ctx.users[OPERATOR_PHONE] = demo_user(
        phone=OPERATOR_PHONE, name=OPERATOR_NAME, notice=notice, is_platform_operator=True
    )
    for demo in DEMO_ASSOCIATIONS:
        association = ctx.associations[demo.slug]
        admin = demo_user(phone=demo.admin_phone, name=demo.admin_name, notice=notice)
        ctx.users[demo.admin_phone] = admin
        with tenant_context(association):
            role_grant(association=association, actor=None, user=admin, kind=Role.Kind.ADMIN)
