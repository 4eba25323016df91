"""Import jobs (导入任务): an upload that runs in the background, with its progress and outcome."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.managers import RestrictedManager

# A job no worker has taken after this long says so on its page (no worker, or all busy).
WAITING_TOO_LONG = datetime.timedelta(minutes=1)


def job_dir() -> Path:
    return Path(settings.VAR_DIR) / "ingest"


class ImportJob(models.Model):
    """An import started from the web (导入任务). Visible to the user who started it (an
    administrator sees every job in their region); its files live under VAR_DIR/ingest/<id>/.

    Not a ScopedModel: progress is saved many times per run and is not a change to the
    registry (the import itself writes one batch change record)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        REJECTED = "rejected", _("rows with errors")
        FAILED = "failed", _("failed")

    region_field = "region_code"

    registry = models.CharField(_("registry"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("user"))
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    filename = models.CharField(_("file"), max_length=255)
    stored_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.QUEUED)
    phase = models.CharField(_("phase"), max_length=10, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    bad_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    has_errors_file = models.BooleanField(default=False)
    record_id = models.BigIntegerField(_("change record"), null=True, blank=True)
    # The background task running the job (django-tasks result id): tells the job page whether
    # a worker took it and whether that worker is still there.
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.registry} {self.filename}"

    @property
    def directory(self) -> Path:
        return job_dir() / str(self.pk)

    @property
    def input_path(self) -> Path:
        return self.directory / self.stored_name

    @property
    def errors_path(self) -> Path:
        return self.directory / "errors.xlsx"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.REJECTED, self.State.FAILED)

    @property
    def waiting_too_long(self) -> bool:
        return (self.state == self.State.QUEUED and self.created_at is not None
                and timezone.now() - self.created_at > WAITING_TOO_LONG)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.rows_total:
            return 0
        share = min(self.rows_done / self.rows_total, 1.0)
        # Checking is the first half of the work, writing the second.
        return int((share if self.phase == "check" else 1 + share) * 50) if self.phase else 0

    @classmethod
    def policy_filter(cls, queryset, user, action):
        from fupin.core.policy import Role, role_of

        if role_of(user) == Role.ADMIN:
            return queryset
        return queryset.filter(user=user)
