"""Demo seed, first step: the demo associations. Runs inside the ``seed_demo`` command's
transaction; the platform operator and the associations' administrators follow in
``accounts.demo``."""

from shanghui.associations.models import Association
from shanghui.core.demo import DEMO_ASSOCIATIONS, DemoAssociation, DemoContext


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
    for demo in DEMO_ASSOCIATIONS:
        ctx.associations[demo.slug] = association_create(demo)
