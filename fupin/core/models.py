"""Core models: the scoped base model and the append-only, hash-chained change log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.managers import RestrictedManager
from fupin.regions.scope import is_valid_code


def validate_region_code(value: str) -> None:
    if not is_valid_code(value):
        raise ValidationError(_("A region code has exactly 12 digits."), code="region_code")


class ScopedModel(models.Model):
    """Base of every record that belongs to a region (所属区划).

    `region_code` is the 12-digit code of the lowest region the record belongs to; access is
    decided by it (see core/policy.py), rollups group by its prefixes.
    """

    region_field = "region_code"
    personal_fields: dict[str, str] = {}

    region_code = models.CharField(
        _("region code"), max_length=12, db_index=True, validators=[validate_region_code]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False, verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False, verbose_name=_("updated by"),
    )

    objects = RestrictedManager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        # Every app's URL namespace is its label, and a model's detail page its model name.
        from django.urls import reverse

        return reverse(f"{self._meta.app_label}:{self._meta.model_name}", kwargs={"pk": self.pk})


class ChainHead(models.Model):
    """The newest hash of the change log (变更记录链头); locked while a record is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("change-log chain head")

    def __str__(self) -> str:
        return f"{self.last_id} {self.last_hash[:12]}"


class ChangeRecord(models.Model):
    """A change record (变更记录): who changed what, when, with before and after.

    Append-only and hash-chained: each record's hash covers its content and the previous
    record's hash, so editing or deleting any record breaks `fupin audit verify`.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        BATCH = "batch", _("batch import")
        RECODE = "recode", _("re-code")

    region_field = "region_code"

    time = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("user"),
    )
    actor = models.CharField(_("actor"), max_length=150)
    request_id = models.CharField(_("request id"), max_length=32, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("model"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200)
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    extra = models.JSONField(_("details"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = RestrictedManager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["model", "object_id", "id"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow", False):
            raise ValidationError(_("Change records are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Change records are append-only."))


class PersonalDataAccess(models.Model):
    """A read of personal data unmasked (个人信息查看记录): who saw which fields of what."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request_id = models.CharField(max_length=32)
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list)
    count = models.PositiveIntegerField(default=1)
    channel = models.CharField(max_length=20)  # page, api, export
    region_code = models.CharField(max_length=12, blank=True, db_index=True)

    region_field = "region_code"
    objects = RestrictedManager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("personal data access")

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_id} {self.model} {self.object_id}"


class Parameter(models.Model):
    """A configurable rule value (参数): notice days, thresholds, limits.

    Rules that vary by province or year are data, never constants: code reads them through
    `fupin.core.params.get(key)`, which falls back to the default declared with the key.
    """

    key = models.CharField(_("key"), max_length=100, unique=True)
    value = models.JSONField(_("value"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    region_field = None
    objects = RestrictedManager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
