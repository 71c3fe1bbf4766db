"""An import whose worker was killed during the commit (issue 13, item 12): while it still
looks under way, asking to import again says so — not "请先完成校验" for a file that was
validated; within a minute and a half it shows as stopped, nothing imported, and 重新开始导入
runs the commit again on the rows already validated."""

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from shanghui.core.jobs import job_for_task
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.members.imports.columns import COLUMNS
from shanghui.members.models import Member, MemberImport
from shanghui.testing.factories import make_uscc
from shanghui.testing.fixtures import Side, api_client_for, client_for
from shanghui.testing.worker import app_role, run_worker

NAME = "赣州市南康区家具有限公司"


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validated(side: Side) -> int:
    api = api_client_for(side.admin)
    base = f"/api/v1/associations/{side.association.slug}/members/imports"
    row = {"name": NAME, "uscc": make_uscc()}
    content = _xlsx([[c.label for c in COLUMNS], [row.get(c.key, "") for c in COLUMNS]])
    created = json.loads(api.post(base, {"file": SimpleUploadedFile("名单.xlsx", content)}).content)
    api.post(f"{base}/{created['id']}/validate")
    run_worker()
    assert json.loads(api.get(f"{base}/{created['id']}").content)["status"] == "validated"
    return int(created["id"])


def _worker_killed(association: Any, *, heartbeat_ago: timedelta) -> Job:
    with transaction.atomic():
        task = DBTaskResult.objects.ready().get()
        task.claim("killed-worker")
    job = job_for_task(job_id=task.args_kwargs["kwargs"]["job_id"], association_id=association.pk)
    with tenant_context(association):
        Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - heartbeat_ago)
    return job


def _imported(side: Side) -> int:
    with tenant_context(side.association):
        return Member.objects.filter(association=side.association, name=NAME).count()


def _said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db(transaction=True)
def test_a_commit_whose_worker_died_says_so_and_starts_again(
    side_a: Side, privacy_notice: None
) -> None:
    a = side_a.association
    import_id = _validated(side_a)
    page = client_for(side_a.admin)
    detail = f"/a/{a.slug}/office/members/import/{import_id}/"
    commit = f"{detail}commit/"
    with app_role():  # the pages as production runs them: under row-level security
        assert page.post(commit).status_code == 302
    dead = _worker_killed(a, heartbeat_ago=timedelta(seconds=30))

    with app_role():  # another click meanwhile: it is importing, not unvalidated
        again = page.post(commit)
    assert _said(again) == ["该文件正在导入，请稍候查看结果"]

    with tenant_context(a):  # two minutes without a heartbeat: the worker is gone
        Job.objects.filter(pk=dead.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    with app_role():
        shown = page.get(detail, follow=True).content.decode()
    assert "意外中断" in shown and "没有导入任何会员" in shown
    assert "重新开始导入" in shown and "重新校验" in shown
    assert _imported(side_a) == 0

    with app_role():
        restarted = page.post(commit)
    assert _said(restarted) == []
    assert restarted["Location"] == f"{detail}progress/"
    with tenant_context(a):
        member_import = MemberImport.objects.get(pk=import_id)
        assert member_import.status == MemberImport.Status.IMPORTING
        assert member_import.job_id != dead.pk
    run_worker()
    assert _imported(side_a) == 1
    with app_role():
        shown = page.get(detail).content.decode()
        done_again = page.post(commit)
    assert "已导入 1 位会员" in shown
    assert _said(done_again) == ["该文件已经导入"]
    assert _imported(side_a) == 1


@pytest.mark.django_db(transaction=True)
def test_an_import_not_yet_validated_is_told_to_validate_first(
    side_a: Side, privacy_notice: None
) -> None:
    a = side_a.association
    api = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{a.slug}/members/imports"
    content = _xlsx([[c.label for c in COLUMNS], [NAME]])
    created = json.loads(api.post(base, {"file": SimpleUploadedFile("名单.xlsx", content)}).content)
    refused = api.post(f"{base}/{created['id']}/commit")
    assert refused.status_code == 400
    assert json.loads(refused.content)["error"]["message"] == "请先完成校验"
    api.post(f"{base}/{created['id']}/validate")
    refused = api.post(f"{base}/{created['id']}/commit")  # still validating
    assert json.loads(refused.content)["error"]["message"] == "该文件正在校验，请等校验完成后再导入"


def test_a_validation_queued_before_the_tasks_moved_still_runs(side_a: Side) -> None:
    # The queue stores a task by its dotted path; a task queued under the module's old name
    # (members.import_tasks, before the import became a package) runs after the deploy.
    api = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}/members/imports"
    row = {"name": NAME, "uscc": make_uscc()}
    content = _xlsx([[c.label for c in COLUMNS], [row.get(c.key, "") for c in COLUMNS]])
    created = json.loads(api.post(base, {"file": SimpleUploadedFile("名单.xlsx", content)}).content)
    api.post(f"{base}/{created['id']}/validate")
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path == "shanghui.members.imports.tasks.validate_member_import"
    DBTaskResult.objects.filter(pk=queued.pk).update(
        task_path="shanghui.members.import_tasks.validate_member_import"
    )
    run_worker()
    assert json.loads(api.get(f"{base}/{created['id']}").content)["status"] == "validated"
