"""Background work of the events module: inviting an event's audience and making the badges
and the sign-in sheet PDFs (jobs with a progress bar), and the reminder the day before
(``manage.py send_event_reminders``, daily)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.jobs import job_fail, job_finish, job_for_task, job_progress, job_start
from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.events import pdf, selectors
from shanghui.events.exports import signin_rows
from shanghui.events.models import Event, Registration
from shanghui.events.services import notices

# Contacts invited between two progress reports: their notices and outbox messages are one
# insert each; the workers send the messages (core.notifications.deliver).
BATCH = 100


@task()
def send_invitations(*, job_id: str, association_id: int, event_id: int) -> None:
    """Invites everyone in the event's audience by SMS (and email where known): their in-app
    notices, and their messages queued in the association's outbox for the workers."""
    job = job_for_task(job_id=job_id, association_id=association_id)
    association = job.association
    try:
        with tenant_context(association):
            event = Event.objects.get(association=association, pk=event_id)
            contacts = selectors.audience_contacts(association=association, event=event)
        sent = 0
        for start in range(0, len(contacts), BATCH):
            sent += notices.invitation(event, contacts[start : start + BATCH])
            job_progress(job, done=sent, total=len(contacts))
    except Exception as exc:
        job_fail(job, message=_("发送邀请失败：%(error)s") % {"error": exc})
        raise
    job_finish(job, message=_("已向 %(n)d 人发送邀请") % {"n": sent})


# The PDFs of an event made by a job (``render_event_pdf``), by the job's kind; readable by
# whoever may manage events (``core.contributions.JOB_KINDS``: "events.pdf").
BADGES_JOB = "events.pdf.badges"
SIGNIN_JOB = "events.pdf.signin"


def event_pdf_start(*, association: Association, actor: User, event: Event, kind: str) -> Job:
    """Starts making the badges (``BADGES_JOB``) or the sign-in sheet (``SIGNIN_JOB``) of
    ``event``; the page and the API then follow the job. The task gets ids only."""
    labels = {BADGES_JOB: _("胸牌 PDF：%(title)s"), SIGNIN_JOB: _("签到表 PDF：%(title)s")}
    return job_start(
        association=association,
        actor=actor,
        kind=kind,
        label=labels[kind] % {"title": event.title},
        task=render_event_pdf,
        params={"event_id": event.pk},
        event_id=event.pk,
    )


@task()
def render_event_pdf(*, job_id: str, association_id: int, event_id: int) -> None:
    """Renders the badges or the sign-in sheet of an event (the job's kind says which) into
    the job's result file: seconds of CPU for a few hundred people, kept out of requests. The
    registrants are read in one short transaction; the rendering holds none."""
    job = job_for_task(job_id=job_id, association_id=association_id)
    association = job.association
    try:
        with tenant_context(association):
            event = Event.objects.get(association=association, pk=event_id)
            rows = signin_rows(association=association, event=event)
        job_progress(job, done=0, total=len(rows))
        if job.kind == BADGES_JOB:
            file = pdf.badges_pdf(
                association=association,
                event=event,
                rows=rows,
                progress=lambda done, total: job_progress(job, done=done, total=total),
            )
            message = _("已生成 %(n)d 人的胸牌") % {"n": len(rows)}
        else:
            file = pdf.signin_pdf(association=association, event=event, rows=rows)
            message = _("已生成 %(n)d 人的签到表") % {"n": len(rows)}
    except Exception as exc:
        job_fail(job, message=_("生成 PDF 失败：%(error)s") % {"error": exc})
        raise
    job_finish(job, message=message, filename=file.filename, content=file.content)


def reminders_send(*, association: Association) -> int:
    """Reminds the confirmed registrants of events starting tomorrow (Beijing time), once per
    event; answers how many were reminded."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    sent = 0
    with tenant_context(association):
        events = Event.objects.filter(
            association=association,
            status=Event.Status.PUBLISHED,
            starts_at__date=tomorrow,
            reminded_at__isnull=True,
        )
        for event in events:
            # Claim the event first, so two runs at once do not both send.
            claimed = Event.objects.filter(pk=event.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            for registration in Registration.objects.filter(
                association=association, event=event, status=Registration.Status.CONFIRMED
            ).select_related("event", "person"):
                notices.reminder(registration)
                sent += 1
    return sent


@task()
def send_reminders(*, association_id: int) -> int:
    return reminders_send(association=Association.objects.get(pk=association_id))
