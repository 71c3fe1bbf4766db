"""A writer for ``test_backup_consistency``, run as its own process beside ``manage.py
backup``: each round stores new content (``content_put``, outside any transaction) and then,
in one transaction, an audience rule naming it and the round's number in a counter row —
so a consistent backup holds as many rules as the counter says, and the content of each.

    python -m shanghui.core.tests.backup_writer <association id> <stop file> <log file>
"""

import io
import os
import sys
import time
from pathlib import Path


def main() -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.db import transaction

    from shanghui.core.models import AudienceRule, CacheVersion
    from shanghui.core.storage.content import content_put
    from shanghui.core.tenancy import tenant_context

    association_id, stop, log = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    association = apps.get_model("associations", "Association").objects.get(pk=association_id)
    round_ = 0
    with open(log, "a") as out:
        while not stop.exists():
            round_ += 1
            content = content_put(association, io.BytesIO(os.urandom(32 * 1024)), check_quota=False)
            with tenant_context(association), transaction.atomic():
                AudienceRule.objects.create(
                    association_id=association_id,
                    owner_type="backup.writer",
                    owner_id=round_,
                    kind="writer",
                    target_id=content.pk,
                )
                CacheVersion.objects.filter(name="backup-writer").update(version=round_)
            out.write(f"{time.time()}\n")
            out.flush()


if __name__ == "__main__":
    main()
