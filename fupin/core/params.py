"""Configurable rules: declared once with a default, overridden by a Parameter row.

    NOTICE_DAYS = params.declare("poverty.notice_days", 7, _("days a village notice stays up"))
    params.get("poverty.notice_days")  # the stored value, else 7
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Declared:
    key: str
    default: object
    help: str
    confirmed: bool  # False: not confirmed from an official text (procedures.md "(?)")


DECLARED: dict[str, Declared] = {}


def declare(key: str, default, help_text="", confirmed: bool = True) -> str:
    DECLARED[key] = Declared(key, default, help_text, confirmed)
    return key


def get(key: str):
    from fupin.core.models import Parameter

    row = Parameter._base_manager.filter(key=key).values_list("value", flat=True).first()
    if row is not None:
        return row
    return DECLARED[key].default
