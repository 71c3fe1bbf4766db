"""Demo seed, last step: a complete public site (官网) for the provincial chamber — banner,
contact, ICP 备案号, the member showcase with a dozen enterprises that agreed to be shown —
and its news shared with the platform portal. The introduction comes with the association,
the public calendar with events, the organisation chart with org, the news with publishing."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from shanghui.accounts.models import Role
from shanghui.associations.models import Association
from shanghui.associations.services.associations import BANNER_HOLDER
from shanghui.core.demo import PROVINCIAL, DemoContext
from shanghui.core.storage.files import file_attach
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import picture_put
from shanghui.members.models import Member
from shanghui.publishing.services.categories import portal_sharing_set

SHOWCASED = 12


def banner_picture() -> ContentFile[bytes]:
    """A wide banner: a green gradient with a few soft bands (no text, no photograph)."""
    width, height = 1500, 560
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for x in range(width):
        mix = x / width
        draw.line(
            [(x, 0), (x, height)],
            fill=(int(24 + 40 * mix), int(96 + 70 * mix), int(72 + 50 * mix)),
        )
    for n in range(5):
        top = 120 + n * 80
        draw.ellipse(
            [-300 + n * 320, top, 500 + n * 320, top + 600], outline=(255, 255, 255), width=2
        )
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name="demo-banner.jpg")


def seed(ctx: DemoContext) -> None:
    association = Association.objects.get(pk=ctx.associations[PROVINCIAL.slug].pk)
    association.contact_phone = "020-83561234"
    association.contact_email = "office@gdjx.example.cn"
    association.contact_address = "广州市越秀区东风中路 437 号越秀城市广场南塔 26 楼"
    association.icp_number = "粤ICP备20260001号-1"
    association.showcase_enabled = True
    association.save()
    banner = picture_put(association, banner_picture(), holder=BANNER_HOLDER)
    with tenant_context(association):
        file_attach(association, "banner", banner)
        chosen = list(
            Member.objects.filter(
                association=association,
                kind=Member.Kind.ENTERPRISE,
                status=Member.Status.ACTIVE,
            )
            .order_by("level__rank", "id")  # the leading enterprises, which have logos
            .values_list("pk", flat=True)[:SHOWCASED]
        )
        Member.objects.filter(association=association, pk__in=chosen).update(showcase=True)
        # Its public news on the platform portal too (the articles come with publishing's
        # seed, which runs before this one).
        admin = Role.objects.filter(association=association, kind=Role.Kind.ADMIN).first()
        if admin is not None:
            portal_sharing_set(association=association, actor=admin.user, role=admin, share=True)
