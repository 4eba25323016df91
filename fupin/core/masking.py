"""Masking of personal data (个人信息脱敏): ID numbers, phones, bank accounts, health.

Models list their personal fields in `personal_fields = {"field": "kind"}`. How much of each
kind a role sees (in full, the last four characters, or masked) is a table in
`fupin.core.policy` (`PERSONAL_DATA`, `can_see`). Pages, tables, history, exports and the API
all apply it through `mask_fields(model, data, user)`, and log reads in full with the fields
`full_fields()` names. The log filter scrubs anything that looks like an ID number, phone or
bank account from log lines, whatever logged it.
"""

from __future__ import annotations

import logging
import re

from django.utils.translation import gettext_lazy as _

# The kinds and the forms a value is shown in are policy's (it says which form to whom); models
# and tests take them from here.
from fupin.core.policy import (  # noqa: F401
    BANK_ACCOUNT,
    FULL,
    HEALTH,
    ID_NUMBER,
    KINDS,
    LAST4,
    MASKED,
    PHONE,
    can_see,
)

HEALTH_MASK = _("(hidden)")


def mask(value, kind: str):
    """`5201**********123X` for an ID number, `138****5678` for a phone, a bank account all
    stars: its first digits name the bank and its last the card, and a role that sees it
    masked needs neither (one that must confirm a card is granted LAST4 instead)."""
    if value in (None, ""):
        return value
    if kind == HEALTH:
        return str(HEALTH_MASK)
    text = str(value)
    if kind == BANK_ACCOUNT:
        return "*" * len(text)
    if kind == PHONE:
        keep_head, keep_tail = 3, 4
    else:
        keep_head, keep_tail = 4, 4
    if len(text) <= keep_head + keep_tail:
        return "*" * len(text)
    return text[:keep_head] + "*" * (len(text) - keep_head - keep_tail) + text[-keep_tail:]


def last4(value):
    """`**************123X`: the last four characters only (a health status has no "last four":
    it is hidden)."""
    if value in (None, ""):
        return value
    text = str(value)
    return "*" * max(len(text) - 4, 0) + text[-4:]


def show(value, kind: str, form: str):
    """`value` of `kind` in `form` (FULL, LAST4 or MASKED)."""
    if form == FULL:
        return value
    if form == LAST4 and kind != HEALTH:
        return last4(value)
    return mask(value, kind)


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
    """`data` with each personal field of `model` shown as `user`'s role may see its kind.

    The one decision for pages, tables, exports, history and the API. `user` None is nobody
    (an export for no one in particular is masked). One's own record (`obj` is the user) is
    never masked: it is theirs.
    """
    personal = personal_fields_of(model)
    if not personal or not data:
        return data
    if obj is not None and user is not None and obj == user:
        return data
    forms = {kind: can_see(user, kind) for kind in set(personal.values())}
    return {k: (show(v, personal[k], forms[personal[k]]) if k in personal else v)
            for k, v in data.items()}


def full_fields(model, user) -> list[str]:
    """The personal fields of `model` that `user` reads in full, sorted: what a read logs in
    `PersonalDataAccess` (a last-four view is not a read in full, so it is not among them)."""
    return sorted(name for name, kind in personal_fields_of(model).items()
                  if can_see(user, kind) == FULL)


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
