from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from PIL import Image


class CoreConfig(AppConfig):
    name = "shanghui.core"
    label = "core"

    def ready(self) -> None:
        # The signals the database worker sends (django_tasks_db picks django-tasks or Django 6).
        from django_tasks_db.compat import task_finished, task_started

        from shanghui.core import encryption  # noqa: F401  (check --deploy: field keys)
        from shanghui.core.citus import distribute_on_citus, join_by_association, remember_citus
        from shanghui.core.jobs import heartbeat_start, heartbeat_stop
        from shanghui.core.notify import checks  # noqa: F401  (check --deploy: message backends)
        from shanghui.core.rls import apply_row_level_security, check_migrating_role

        # Before the first migration: nothing is created if the second wall cannot be built.
        pre_migrate.connect(check_migrating_role, dispatch_uid="shanghui_rls_roles")
        # Runs once per migrate (dispatch_uid), after the last app's migrations.
        post_migrate.connect(apply_row_level_security, dispatch_uid="shanghui_rls")
        # On Citus, then: tenant tables distributed by association (core.citus).
        post_migrate.connect(distribute_on_citus, dispatch_uid="shanghui_citus")
        # …and joins between tenant tables that Citus can send to one shard.
        connection_created.connect(remember_citus, dispatch_uid="shanghui_citus")
        join_by_association()
        # A worker running a job's task marks the job alive meanwhile (core.jobs.STALLED_AFTER).
        task_started.connect(heartbeat_start, dispatch_uid="shanghui_job_heartbeat")
        task_finished.connect(heartbeat_stop, dispatch_uid="shanghui_job_heartbeat")
        # Wherever a picture is read, Pillow warns above this size and refuses twice as much
        # (uploads are refused above it from their header first, with a clear message).
        Image.MAX_IMAGE_PIXELS = settings.UPLOAD_IMAGE_MAX_PIXELS
        # Uploads are parsed into their own directory, which `prune_uploads` keeps clean of
        # what interrupted requests leave (Django's check wants it to exist).
        Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
