"""Masking of personal data (个人信息脱敏): ID numbers, phones, bank accounts, health.

Models list their personal fields in `personal_fields = {"field": "kind"}`. Pages, tables,
history and the API all decide through `mask_fields(model, data, user)`; the log filter scrubs anything that looks like an ID
number, phone or bank account from log lines, whatever logged it.
"""

from __future__ import annotations

import logging
import re

from django.utils.translation import gettext_lazy as _

ID_NUMBER = "id_number"
PHONE = "phone"
BANK_ACCOUNT = "bank_account"
HEALTH = "health"
KINDS = (ID_NUMBER, PHONE, BANK_ACCOUNT, HEALTH)
HEALTH_MASK = _("(hidden)")


def mask(value, kind: str):
    """`5201**********123X` for an ID number, `138****5678` for a phone."""
    if value in (None, ""):
        return value
    if kind == HEALTH:
        return str(HEALTH_MASK)
    text = str(value)
    if kind == PHONE:
        keep_head, keep_tail = 3, 4
    else:
        keep_head, keep_tail = 4, 4
    if len(text) <= keep_head + keep_tail:
        return "*" * len(text)
    return text[:keep_head] + "*" * (len(text) - keep_head - keep_tail) + text[-keep_tail:]


def personal_fields_of(model) -> dict[str, str]:
    """`personal_fields` of a model class, an instance, an "app.model" label, or a mapping
    {field: kind} given as is (a table column that knows its kind)."""
    if isinstance(model, dict):
        return model
    if isinstance(model, str):
        from django.apps import apps

        try:
            model = apps.get_model(model)
        except (LookupError, ValueError):
            return {}
    return getattr(model, "personal_fields", None) or {}


def mask_fields(model, data: dict, user, *, obj=None) -> dict:
    """`data` with the personal fields of `model` masked unless `user`'s role may see them.

    The one decision for pages, tables, exports, history and the API. `user` None is nobody
    (an export for no one in particular is masked). One's own record (`obj` is the user) is
    never masked: it is theirs.
    """
    from fupin.core.policy import has_personal_data_permission

    personal = personal_fields_of(model)
    if not personal or not data:
        return data
    if obj is not None and user is not None and obj == user:
        return data
    return mask_row(data, personal, has_personal_data_permission(user))


def mask_row(row: dict, personal_fields: dict[str, str], unmasked: bool) -> dict:
    if unmasked or not personal_fields:
        return row
    return {k: (mask(v, personal_fields[k]) if k in personal_fields else v) for k, v in row.items()}


_PATTERNS = [
    re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)"),  # ID number
    re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)"),  # mobile phone
    re.compile(r"(?<!\d)(\d{4})(\d{8,15})(\d{4})(?!\d)"),  # bank account
]


def scrub(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    return text


class MaskingLogFilter(logging.Filter):
    """Scrubs personal data from every log record before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not hide the record
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        # A traceback can carry values too (an exception's message, a bad cell): format it now
        # and scrub it, so no handler formats the raw one later.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
