"""Demo seed, first step: the platform operator, the demo associations and their secretariat
administrators. Runs inside the ``seed_demo`` command's transaction."""

from django.contrib.auth.password_validation import validate_password

from shanghui.accounts.models import PrivacyNotice, Role, User
from shanghui.accounts.services import consent_record, current_privacy_notice, role_grant
from shanghui.associations.models import Association
from shanghui.core.demo import (
    DEMO_ASSOCIATIONS,
    DEMO_PASSWORD,
    OPERATOR_NAME,
    OPERATOR_PHONE,
    DemoAssociation,
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


def association_create(demo: DemoAssociation) -> Association:
    return Association.objects.create(
        name=demo.name,
        short_name=demo.short_name,
        slug=demo.slug,
        kind=demo.kind,
        region_code=demo.region_code,
        uscc=demo.uscc,
        founded_on=demo.founded_on,
        introduction=demo.introduction,
        status=Association.Status.ACTIVE,
    )


def seed(ctx: DemoContext) -> None:
    notice = current_privacy_notice()
    ctx.users[OPERATOR_PHONE] = demo_user(
        phone=OPERATOR_PHONE, name=OPERATOR_NAME, notice=notice, is_platform_operator=True
    )
    for demo in DEMO_ASSOCIATIONS:
        association = association_create(demo)
        ctx.associations[demo.slug] = association
        admin = demo_user(phone=demo.admin_phone, name=demo.admin_name, notice=notice)
        ctx.users[demo.admin_phone] = admin
        with tenant_context(association):
            role_grant(association=association, actor=None, user=admin, kind=Role.Kind.ADMIN)
