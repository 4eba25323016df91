"""Natural bounds of counts, amounts and dates (attendance ≤ members expected, amounts ≥ 0, an
end not before its start).

One declaration gives both guards: `constraints(...)` the database CheckConstraints, so that
nothing (a bulk import, a shell, a bug) can store a violation, and `check(instance, ...)` the
same rules as field errors for the model's `clean()`, which forms and the API (through forms)
run, so that a person sees which field is wrong. A blank value is never out of bounds: whether
a field may be blank is the field's own business.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Bound:
    field: str
    op: str  # "lte" or "gte"
    other: str = ""  # another field of the row, else `value`
    value: int = 0

    def condition(self) -> Q:
        limit = F(self.other) if self.other else self.value
        q = Q(**{f"{self.field}__{self.op}": limit}) | Q(**{f"{self.field}__isnull": True})
        return q | Q(**{f"{self.other}__isnull": True}) if self.other else q

    def holds(self, instance) -> bool:
        value = getattr(instance, self.field)
        limit = getattr(instance, self.other) if self.other else self.value
        if value is None or limit is None:
            return True
        return value <= limit if self.op == "lte" else value >= limit

    def message(self, model) -> str:
        def label(name):
            return capfirst(str(model._meta.get_field(name).verbose_name))

        names = {"field": label(self.field)}
        if self.other:
            names["other"] = str(model._meta.get_field(self.other).verbose_name)
            text = (_("%(field)s cannot exceed %(other)s.") if self.op == "lte"
                    else _("%(field)s cannot be before %(other)s."))
        elif self.op == "gte" and self.value == 0:
            text = _("%(field)s cannot be negative.")
        else:
            names["value"] = self.value
            text = (_("%(field)s cannot exceed %(value)s.") if self.op == "lte"
                    else _("%(field)s must be at least %(value)s."))
        return text % names


def at_most(field: str, other: str = "", value: int = 0) -> Bound:
    return Bound(field, "lte", other, value)


def at_least(field: str, other: str = "", value: int = 0) -> Bound:
    return Bound(field, "gte", other, value)


def not_negative(*fields: str) -> list[Bound]:
    return [Bound(name, "gte") for name in fields]


class _Message(Promise):
    """A constraint's message, made when shown: the verbose names it quotes can only be read
    (and translated) once the models are ready, which is after Meta builds the constraints."""

    def __init__(self, app_model: str, bound: Bound):
        self.app_model, self.bound = app_model, bound

    def __str__(self):
        from django.apps import apps

        return self.bound.message(apps.get_model(self.app_model))

    def __mod__(self, _names):  # get_violation_error_message() adds the name: not quoted here
        return str(self)

    def __eq__(self, other):
        if isinstance(other, _Message):
            return (self.app_model, self.bound) == (other.app_model, other.bound)
        # A lazy default ("Constraint … is violated") is another message; a plain string is
        # what a migration stored.
        return isinstance(other, str) and str(self) == other

    def __hash__(self):
        return hash((self.app_model, self.bound))


def constraints(app_model: str, *bounds: Bound) -> list[models.CheckConstraint]:
    """CheckConstraints named `<model>_<field>_<op>_<other or value>` for `app.Model`."""
    out = []
    model = app_model.split(".")[1].lower()
    for bound in bounds:
        limit = bound.other or str(bound.value)
        out.append(models.CheckConstraint(
            condition=bound.condition(), name=f"{model}_{bound.field}_{bound.op}_{limit}",
            violation_error_message=_Message(app_model, bound)))
    return out


def check(instance, *bounds: Bound) -> dict[str, list[str]]:
    """The field errors of `instance` against `bounds` (for clean(); add more, then raise)."""
    errors: dict[str, list[str]] = {}
    for bound in bounds:
        if not bound.holds(instance):
            errors.setdefault(bound.field, []).append(bound.message(type(instance)))
    return errors


def not_future(instance, *fields: str, errors: dict | None = None) -> dict[str, list[str]]:
    """A date (or a year) that has to have happened already."""
    errors = {} if errors is None else errors
    today = timezone.localdate()
    for name in fields:
        value = getattr(instance, name)
        if value is None:
            continue
        late = value > today if isinstance(value, datetime.date) else value > today.year
        if late:
            label = capfirst(str(type(instance)._meta.get_field(name).verbose_name))
            errors.setdefault(name, []).append(_("%(field)s cannot be in the future.")
                                               % {"field": label})
    return errors


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
