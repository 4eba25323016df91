"""What every app's `actions.py` shares: the refusal exceptions, the `acting` decorator and the
checks of role, scope and dates. An action is a plain function, atomic, taking the acting user
as the keyword `user`; every write goes through the ORM so the change-log signals record it
with that user and the caller's request id in the same transaction.
"""

from __future__ import annotations

import datetime
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fupin.core import context
from fupin.core.context import acting_as
from fupin.core.policy import Role, can, restrict, role_of, scope_code
from fupin.regions.scope import is_within


class ActionRefused(ValidationError):
    """A transition refused, with a message for the user (translated, no personal data)."""

    def __init__(self, message, code: str = "refused"):
        super().__init__(message, code=code)

    def __str__(self) -> str:
        return str(self.message)


class NotPermitted(ActionRefused, PermissionDenied):
    """The role, the level of the user's region, or the region itself does not allow it."""


def acting(func):
    """Run the action as `user`, keeping the caller's request id so that a page's or a
    command's writes share one id in the change log."""

    @functools.wraps(func)
    def wrapper(*args, user, **kwargs):
        with acting_as(user, request_id=context.current_request_id()):
            return func(*args, user=user, **kwargs)

    return wrapper


def d(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def today() -> datetime.date:
    return timezone.localdate()


def role_label(user) -> str:
    role = role_of(user)
    return str(dict(Role.CHOICES).get(role, role or "-"))


def require(user, model: type[Model], action: str) -> None:
    """The role may take `action` on `model` somewhere."""
    if role_of(user) is None:
        raise NotPermitted(_("Sign in first."), code="role")
    if can(user, model, action):
        return
    names = {"model": model._meta.verbose_name_plural, "role": role_label(user)}
    if action == "add":
        message = _("Your role (%(role)s) may not add %(model)s.")
    elif action == "delete":
        message = _("Your role (%(role)s) may not delete %(model)s.")
    else:
        message = _("Your role (%(role)s) may not change %(model)s.")
    raise NotPermitted(message % names, code="role")


def in_scope(obj: Model, user, action: str = "change") -> None:
    """`obj` is one the user may take `action` on (inside the scope region, past any extra
    filter of the policy)."""
    require(user, type(obj), action)
    if not restrict(type(obj)._base_manager.filter(pk=obj.pk), user, action).exists():
        raise NotPermitted(_("“%(object)s” is outside your region.") % {"object": obj},
                           code="scope")


def region_in_scope(code: str, user) -> None:
    if not is_within(code, scope_code(user)):
        raise NotPermitted(_("The region %(code)s is outside your region.") % {"code": code},
                           code="scope")


def not_future(on: datetime.date | None) -> None:
    if on is None:
        raise ActionRefused(_("Give the date."), code="date")
    if on > today():
        raise ActionRefused(_("The date %(date)s is in the future.") % {"date": d(on)},
                            code="future")
