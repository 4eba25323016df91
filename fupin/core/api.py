"""The declared API: a model's list, detail, create, update and delete operations on a
django-ninja Router, from the same declarations as its pages.

    crud(router, "/teams/", m.WorkTeam, f.WorkTeamFilterSet, forms.WorkTeamForm)

- list: the page's filterset, its filters as query parameters (never declared twice),
  applied to `rows()`; paginated.
- detail, update, delete: the record through `one()`: 403 when the role may not, 404 when the
  record is outside the user's scope (or does not exist).
- create and update run the page's form (a ScopedModelForm: scope, region level, related
  records in scope), in a transaction that the change log verifies; a record named in the body
  that the user may not see is 404, a region outside their scope 403, an invalid body 422. The
  body's schema is made from the form's fields unless one is given.
- output schemas derive from `Out`, which shows the model's `personal_fields` as the reader's
  role may see each kind: in full, the last four, or masked (fupin.core.masking.mask_fields).
Every operation carries `openapi_extra=policy(label, action)`: the access-matrix test reads it.
Transitions that are not plain CRUD stay hand-written operations that call the app's actions.
"""

import datetime
import decimal
import functools
from typing import Any, Literal, get_args

import django_filters
from django import forms
from django.db import models, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import APIKeyCookie
from pydantic import create_model, model_validator

from fupin.core.masking import mask_fields, personal_fields_of
from fupin.core.policy import can, restrict, scope_code
from fupin.regions.scope import is_valid_code, is_within


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def rows(request, model, action: str = "view", queryset=None):
    """The only way an API operation gets rows: the policy, or 403 when the role may not."""
    if not can(request.user, model, action):
        raise HttpError(403, _("Your role may not do this."))
    qs = queryset if queryset is not None else model._default_manager.all()
    return restrict(qs, request.user, action)


def one(request, model, action: str = "view", queryset=None, **lookup):
    obj = rows(request, model, action, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404(_("Not found, or outside your region."))
    return obj


def policy(model: str | None, action: str = "view") -> dict:
    """`openapi_extra` for an operation: its policy, in the schema, for the access-matrix test.

    model None means any authenticated user (e.g. /me).
    """
    return {"x-policy": {"model": model, "action": action}}


class Problem(Schema):
    """An error: a translated reason, and the invalid fields when the body was refused."""

    detail: str
    errors: Any = None


ERRORS = {401: Problem, 403: Problem, 404: Problem}


class Out(Schema):
    """An output schema of a model: personal fields come out as the reader's role may see each
    kind, wherever the schema is used (nested ones too)."""

    @model_validator(mode="wrap")
    @classmethod
    def _mask_personal(cls, values, handler, info):
        result = handler(values)
        obj = getattr(values, "_obj", values)
        request = (info.context or {}).get("request")
        if request is None or not isinstance(obj, models.Model):
            return result
        personal = personal_fields_of(type(obj))
        shown = {k: getattr(result, k) for k in personal if k in type(result).model_fields}
        for key, value in mask_fields(type(obj), shown, request.user, obj=obj).items():
            setattr(result, key, value)
        return result


# --- query parameters from a page's filterset ------------------------------------------------
def _filter_type(flt, model):
    if isinstance(flt, django_filters.BooleanFilter):
        return bool
    if isinstance(flt, django_filters.DateFilter):
        return datetime.date
    if isinstance(flt, (django_filters.ChoiceFilter, django_filters.MultipleChoiceFilter)):
        choices = flt.extra.get("choices")
        choices = choices() if callable(choices) else choices
        values = tuple(value for value, _label in choices or () if value != "")
        if values and all(isinstance(v, int) for v in values):
            one_type = int  # a query string is text: Literal[1, 2] would refuse "1"
        else:
            one_type = Literal[tuple(str(v) for v in values)] if values else str
        return list[one_type] if isinstance(flt, django_filters.MultipleChoiceFilter) \
            else one_type
    if isinstance(flt, (django_filters.NumberFilter, django_filters.ModelChoiceFilter)):
        try:
            field = model._meta.get_field(flt.field_name.split("__")[0])
        except Exception:  # noqa: BLE001 - a method filter names no field
            return decimal.Decimal
        return int if isinstance(field, (models.IntegerField, models.ForeignKey,
                                         models.AutoField)) else decimal.Decimal
    return str


def filter_schema(filterset) -> type[Schema]:
    """The query parameters of a filterset: one optional parameter per filter, typed (a choice
    lists its values), described by the page's label."""
    model = filterset._meta.model
    fields = {}
    with translation.override("en"):
        for name, flt in filterset.base_filters.items():
            label = flt.extra.get("help_text") or flt.label
            fields[name] = (_filter_type(flt, model) | None,
                            Field(None, description=str(label) if label else None))
    return create_model(f"{filterset.__name__}Query", __base__=Schema, **fields)


def filtered(request, filterset, queryset):
    """`queryset` narrowed by the filterset bound to the request's query, as the page does."""
    bound = filterset(request.GET, queryset=queryset, request=request)
    if not bound.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in bound.errors.items()))
    return bound.qs


# --- request bodies from a page's form -------------------------------------------------------
def _form_field_type(field):
    if isinstance(field, forms.ModelMultipleChoiceField):
        return list[int]
    if isinstance(field, forms.ModelChoiceField):
        return int
    if isinstance(field, forms.MultipleChoiceField):
        return list[str]
    if isinstance(field, forms.ChoiceField):
        values = tuple(v for v, _label in field.choices if v != "")
        if values and all(isinstance(v, int) for v in values):
            return int
        return Literal[tuple(str(v) for v in values)] if values else str
    if isinstance(field, forms.BooleanField):
        return bool
    if isinstance(field, forms.IntegerField):
        return int
    if isinstance(field, forms.DecimalField):
        return decimal.Decimal
    if isinstance(field, forms.DateTimeField):
        return datetime.datetime
    if isinstance(field, forms.DateField):
        return datetime.date
    return str


def body_key(name: str, field) -> str:
    """A related record is sent by id, as the output schemas give it: `team_id` for `team`."""
    single = isinstance(field, forms.ModelChoiceField) \
        and not isinstance(field, forms.ModelMultipleChoiceField)
    return f"{name}_id" if single else name


def form_schema(form_class, name: str, partial: bool = False) -> type[Schema]:
    """The body of a create (`partial` False: the form's required fields are required) or of
    an update (every field optional: what is not sent keeps its value)."""
    fields = {}
    with translation.override("en"):
        for field_name, field in form_class().fields.items():
            kind = _form_field_type(field)
            required = field.required and not partial
            description = str(field.help_text or field.label or "") or None
            fields[body_key(field_name, field)] = (
                kind if required else kind | None,
                Field(... if required else None, description=description))
    return create_model(name, __base__=Schema, **fields)


def _checked_body(request, form_class, payload, instance=None) -> dict:
    """Form data from the body, after the checks that answer 404 and 403 rather than 422: a
    related record the user may not see, a region outside their scope."""
    if payload is None:
        raise HttpError(422, _("The request has no body."))
    sent = payload.model_dump(exclude_unset=True)
    form = form_class(instance=instance, user=request.user)
    data = {name: form[name].value() for name in form.fields} if instance is not None else {}
    for name, field in form.fields.items():
        key = body_key(name, field)
        if key not in sent:
            continue
        value = sent[key]
        if isinstance(field, forms.ModelChoiceField) and value not in (None, [], ""):
            wanted = value if isinstance(value, list) else [value]
            if field.queryset.filter(pk__in=wanted).count() != len(set(wanted)):
                raise Http404(_("Not found, or outside your region."))
        if name == getattr(form, "region_field_name", None) and value and is_valid_code(value) \
                and not is_within(value, scope_code(request.user)):
            raise HttpError(403, _("This region is outside your scope."))
        data[name] = "" if value is None else value
    return data


def save_form(request, form_class, payload, instance=None):
    """Validate the body with the page's form and save it, all or nothing: a form error is
    422 and a save the change log finds outside the user's scope is 403, storing nothing."""
    data = _checked_body(request, form_class, payload, instance)
    with transaction.atomic():
        form = form_class(data, instance=instance, user=request.user)
        if not form.is_valid():
            raise HttpError(422, "; ".join(
                f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()))
        return form.save()


# --- the declaration -------------------------------------------------------------------------
OPERATIONS = ("list", "detail", "create", "update", "delete")
# Never in an output: bookkeeping and secrets (as in the change log).
HIDDEN_FIELDS = ["created_by", "updated_by", "created_at", "updated_at", "password", "key_hash"]


@functools.cache
def model_out(model) -> type[Out]:
    """An output schema of every field of `model` but bookkeeping, a related record as its id
    (`team_id`), for a model that needs nothing else. Types from django-ninja's field map;
    null only where the column is (ninja's, made for input too, also allows it where blank)."""
    from ninja.orm.fields import get_schema_field

    fields = {}
    for field in model._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            continue
        kind, info = get_schema_field(field)
        kind = next((a for a in get_args(kind) if a is not type(None)), kind) \
            if type(None) in get_args(kind) else kind
        fields[field.attname] = (kind | None if field.null else kind,
                                 Field(None if field.null else ..., title=info.title,
                                       description=info.description))
    return create_model(f"{model.__name__}Out", __base__=Out, **fields)


def crud(router: Router, path: str, model, filterset=None, form=None, *, out=None,
         detail_out=None, body=None, queryset=None, ordering=None, operations=None,
         paginated=True, lookup: str = "pk"):
    """Declare a model's operations on `router` under `path` ("/teams/").

    filterset, form: the page's (the form for create and update). operations: which of
    OPERATIONS (all of them with a form, list and detail without one). out / detail_out:
    output schemas (subclasses of Out); without one, every field but bookkeeping (model_out).
    body: the create body's schema, if the one made from the form does not fit. queryset: a
    callable giving the base queryset (prefetches). lookup: the field in the URL.
    """
    label = model._meta.label_lower
    name = model._meta.model_name
    ordering = ordering or [*(model._meta.ordering or ()), lookup]
    base = queryset or (lambda: model._default_manager.all())
    item = f"{path}{{{lookup}}}"
    lookup_type = int if lookup == "pk" else str
    operations = operations or (OPERATIONS if form is not None else ("list", "detail"))
    errors = ERRORS
    out = out or model_out(model)

    def add(method, route, view, response, action, summary):
        with translation.override("en"):  # the OpenAPI document is in English
            summary = summary % {"name": model._meta.verbose_name}
        router.add_api_operation(route, [method], view, response=response, summary=summary,
                                 openapi_extra=policy(label, action),
                                 operation_id=f"{router_tag(router)}_{name}_{view.__name__}")

    if "list" in operations:
        if filterset is not None:
            params = filter_schema(filterset)

            def list_(request, filters: Query[params]):
                return filtered(request, filterset, rows(request, model, queryset=base())) \
                    .order_by(*ordering)
        else:
            def list_(request):
                return rows(request, model, queryset=base()).order_by(*ordering)
        list_.__name__ = "list"
        view = paginate(list_) if paginated else list_
        add("GET", path, view, {200: list[out], 401: Problem, 403: Problem, 422: Problem},
            "view", "List %(name)s records")

    if "detail" in operations:
        def detail(request, key: lookup_type):
            obj = one(request, model, queryset=base(), **{lookup: key})
            if personal_fields_of(model) and obj != request.user:
                from fupin.core.views import log_personal_access

                log_personal_access(request, model, obj, "api")  # the fields read in full
            return obj
        add("GET", item, _keyed(detail, lookup), {200: detail_out or out, **errors}, "view",
            "Read a %(name)s record")

    if "create" in operations:
        create_body = body or form_schema(form, f"{model.__name__}In")

        def create(request, payload: create_body | None = None):
            rows(request, model, "add")
            return Status(201, save_form(request, form, payload))
        add("POST", path, create, {201: detail_out or out, 422: Problem, **errors}, "add",
            "Create a %(name)s record")

    if "update" in operations:
        patch_body = form_schema(form, f"{model.__name__}Patch", partial=True)

        def update(request, key: lookup_type, payload: patch_body | None = None):
            obj = one(request, model, "change", queryset=base(), **{lookup: key})
            return save_form(request, form, payload, instance=obj)
        add("PATCH", item, _keyed(update, lookup), {200: detail_out or out, 422: Problem,
                                                     **errors}, "change",
            "Change a %(name)s record (the fields sent)")

    if "delete" in operations:
        def delete(request, key: lookup_type):
            obj = one(request, model, "delete", queryset=base(), **{lookup: key})
            try:
                with transaction.atomic():
                    obj.delete()
            except ProtectedError:
                raise HttpError(409, _("%(object)s is still in use and cannot be deleted.")
                                % {"object": obj}) from None
            return Status(204, None)
        add("DELETE", item, _keyed(delete, lookup), {204: None, 409: Problem, **errors},
            "delete", "Delete a %(name)s record")


def router_tag(router: Router) -> str:
    return (router.tags or ["api"])[0]


def _keyed(view, lookup: str):
    """The view with its path parameter named after `lookup` (`{pk}`, `{code}`)."""
    import inspect

    signature = inspect.signature(view)
    parameters = [p.replace(name=lookup) if p.name == "key" else p
                  for p in signature.parameters.values()]

    def keyed(request, **kwargs):
        kwargs["key"] = kwargs.pop(lookup)
        return view(request, **kwargs)

    keyed.__signature__ = signature.replace(parameters=parameters)
    keyed.__name__ = view.__name__
    return keyed
