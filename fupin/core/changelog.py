"""Writing and verifying the change log (变更记录).

Models opt in by being listed in `LOGGED` (every ScopedModel is, plus the few core ones
named below). Signals record create, update and delete with the actor from core.context,
inside the writer's transaction, and check the scope: a user cannot create, change or delete
a row that `restrict(user, action)` would not give them, nor move one out of their scope.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core import context
from fupin.core.models import ChainHead, ChangeRecord, ScopedModel

# Fields never copied into a change record: secrets and bookkeeping.
EXCLUDED_FIELDS = {"password", "key_hash", "updated_at", "created_at", "updated_by", "created_by",
                   "last_login"}
# Models outside ScopedModel whose writes are logged too.
EXTRA_LOGGED: set[str] = {"accounts.user", "accounts.apitoken", "regions.region",
                          "regions.regionchange", "core.parameter", "poverty.povertyline",
                          "party.coveredregion"}


class ScopeViolation(PermissionDenied):
    pass


def is_logged(model: type[models.Model]) -> bool:
    if model.__module__ == "__fake__":
        return False  # a migration's historical model: seeding is reviewed code, not a user write
    return issubclass(model, ScopedModel) or model._meta.label_lower in EXTRA_LOGGED


def snapshot(instance: models.Model) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in EXCLUDED_FIELDS:
            continue
        data[field.attname] = field.value_from_object(instance)
    return _jsonable(data)


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def region_of(instance: models.Model) -> str:
    field = getattr(type(instance), "region_field", "region_code")
    if field is None or "__" in field:
        return ""
    return getattr(instance, field, "") or ""


def compute_hash(record: ChangeRecord) -> str:
    payload = [
        record.prev_hash, record.time.isoformat(timespec="microseconds"), record.user_id,
        record.actor, record.request_id, record.action, record.model, record.object_id,
        record.object_repr, record.region_code, record.before, record.after, record.extra,
    ]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(*, action: str, model: str, object_id: str, object_repr: str, region_code: str,
           before: dict | None = None, after: dict | None = None,
           extra: dict | None = None) -> ChangeRecord:
    """Append one record to the chain, in the caller's transaction."""
    actor = context.current_actor()
    user_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
        record = ChangeRecord(
            time=timezone.now(), user_id=user_id, actor=context.current_actor_label()[:150],
            request_id=context.current_request_id(), action=action, model=model,
            object_id=str(object_id)[:64], object_repr=str(object_repr)[:200],
            region_code=region_code or "", before=_jsonable(before) if before else before,
            after=_jsonable(after) if after else after, extra=_jsonable(extra) if extra else extra,
            prev_hash=head.last_hash,
        )
        record.hash = compute_hash(record)
        record.save()
        head.last_id = record.pk
        head.last_hash = record.hash
        head.save(update_fields=["last_id", "last_hash"])
    return record


def verify() -> tuple[int, ChangeRecord | None, str]:
    """Walk the chain. Returns (records checked, first broken record or None, reason)."""
    prev = "0" * 64
    count = 0
    last = None
    for record in ChangeRecord.objects.order_by("id").iterator(chunk_size=2000):
        if record.prev_hash != prev:
            return count, record, _("previous hash does not match (a record was removed or inserted)")
        if compute_hash(record) != record.hash:
            return count, record, _("content does not match its hash (the record was altered)")
        prev = record.hash
        last = record
        count += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return count, last, _("the newest records were removed (chain head does not match)")
    return count, None, ""


def _check_scope(instance, action: str) -> None:
    from fupin.core.policy import is_visible

    actor = context.current_actor()
    if actor is None or not context.scope_checks_enabled():
        return
    if action == "change" and instance._meta.label_lower == actor._meta.label_lower \
            and instance.pk == actor.pk:
        return  # one's own account: password, language, phone
    if not is_visible(instance, actor, action):
        raise ScopeViolation(_("This record is outside your region or your role may not do this."))


def _bookkeeping_only(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= EXCLUDED_FIELDS


def _pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not is_logged(sender) or _bookkeeping_only(update_fields):
        return
    before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        if old is not None:
            _check_scope(old, "change")
            before = snapshot(old)
    instance._fupin_before = before
    actor = context.current_actor()
    if isinstance(instance, ScopedModel) and actor is not None and actor.is_authenticated:
        instance.updated_by = actor
        if instance._state.adding:
            instance.created_by = actor


def _post_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not is_logged(sender) or _bookkeeping_only(update_fields):
        return
    _check_scope(instance, "add" if created else "change")
    before = getattr(instance, "_fupin_before", None)
    after = snapshot(instance)
    if not created and before == after:
        return
    append(
        action=ChangeRecord.Action.CREATE if created else ChangeRecord.Action.UPDATE,
        model=sender._meta.label_lower, object_id=instance.pk, object_repr=str(instance),
        region_code=region_of(instance), before=None if created else before, after=after,
    )


def _pre_delete(sender, instance, **kwargs):
    if not is_logged(sender):
        return
    _check_scope(instance, "delete")
    instance._fupin_before = snapshot(instance)
    instance._fupin_pk = instance.pk


def _post_delete(sender, instance, **kwargs):
    if not is_logged(sender):
        return
    append(
        action=ChangeRecord.Action.DELETE, model=sender._meta.label_lower,
        object_id=getattr(instance, "_fupin_pk", instance.pk), object_repr=str(instance),
        region_code=region_of(instance), before=getattr(instance, "_fupin_before", None),
    )


def connect() -> None:
    pre_save.connect(_pre_save, dispatch_uid="fupin_changelog_pre_save")
    post_save.connect(_post_save, dispatch_uid="fupin_changelog_post_save")
    pre_delete.connect(_pre_delete, dispatch_uid="fupin_changelog_pre_delete")
    post_delete.connect(_post_delete, dispatch_uid="fupin_changelog_post_delete")


def history(model: type[models.Model], object_id) -> models.QuerySet:
    return ChangeRecord.objects.filter(model=model._meta.label_lower, object_id=str(object_id))
