"""Generic views in the NetBox manner: a model gets list, detail, edit and delete pages by
declaring a ViewSet. Every one of them reads rows only through `restrict(user, action)`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Prefetch, ProtectedError, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import RequestConfig

from fupin.core import changelog, import_links, naming, panels
from fupin.core.export import export_name, export_table
from fupin.core.forms import label_empty_choices
from fupin.core.masking import full_fields, mask_fields
from fupin.core.models import PersonalDataAccess
from fupin.core.policy import can, restrict, scope_code
from fupin.core.tables import is_plain_number


class AccessMixin(LoginRequiredMixin):
    """Declares what a view needs; the access-matrix test reads the same declaration.

    access = "model": the role must hold `action` on `model`, and rows come from restrict().
    access = "login": any logged-in user. access = "public": anyone, logged in or not.
    """

    access = "model"
    model: type[models.Model] | None = None
    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if self.access == "public":
            return generic.View.dispatch(self, request, *args, **kwargs)
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.access == "model" and not can(request.user, self.model, self.action):
            raise PermissionDenied(_("Your role may not do this."))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        return restrict(self.base_queryset(), self.request.user, self.action)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = self.model._meta if self.model else None
        ctx.update(
            model_meta=meta,
            can_add=bool(meta) and can(self.request.user, self.model, "add"),
            can_change=bool(meta) and can(self.request.user, self.model, "change"),
            can_delete=bool(meta) and can(self.request.user, self.model, "delete"),
            url_names=getattr(self, "url_names", {}),
        )
        return ctx


class ObjectListView(AccessMixin, FilterView):
    table_class = None
    filterset_class = None
    template_name = "core/object_list.html"
    paginate_by = None  # the table paginates
    export_formats = ("csv", "xlsx")

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        # An unset filter means "any": say 全部, not django-filter's "---------" or "Unknown".
        label_empty_choices(filterset.form, _("All"), unknown_too=True)
        return filterset

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        ok = not self.filterset.is_bound or self.filterset.is_valid()
        self.object_list = self.filterset.qs if ok else self.get_queryset().none()
        fmt = request.GET.get("export")
        if fmt in self.export_formats:
            table = self.table_class(self.object_list)
            table.viewer = request.user
            log_personal_access(request, self.model, None, "export",
                                count=self.object_list.count())
            title = str(self.model._meta.verbose_name_plural)
            return export_table(table, fmt, title, export_name(title, self.export_region_name()))
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def export_region_name(self) -> str:
        """The region an export covers: the region filtered on, else the user's scope."""
        from fupin.core import directory

        code = (self.request.GET.get("region") or "").strip() or scope_code(self.request.user)
        found = directory.entry(code) if code else None
        return found.name if found is not None else ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        table = self.table_class(self.object_list, request=self.request)
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        ctx["table"] = table
        ctx["export_formats"] = self.export_formats
        ctx["import_links"] = import_links.for_model(self.model, self.request.user)
        ctx["total"] = table.paginator.count if hasattr(table, "paginator") else len(self.object_list)
        return ctx


def log_personal_access(request, model, obj, channel: str, count: int = 1) -> None:
    """Log the personal fields of `model` the user reads in full (none: nothing to log)."""
    fields = full_fields(model, request.user)
    if not fields:
        return
    region_field = getattr(model, "region_field", "region_code")
    PersonalDataAccess.objects.create(
        user=request.user, request_id=getattr(request, "id", ""),
        model=model._meta.label_lower, object_id=str(obj.pk) if obj is not None else "",
        fields=fields, count=count, channel=channel,
        region_code=(getattr(obj, region_field, "") if obj is not None and "__" not in region_field
                     else getattr(request.user, "region_code", "")) or "",
    )


def field_rows(obj, user, fields=None) -> list[tuple[str, object]]:
    """(label, display value) for a detail page, personal data masked as the role requires."""
    values = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if fields is None and (not field.editable or field.name in changelog.EXCLUDED_FIELDS):
            continue
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        else:
            value = getattr(obj, field.name)
        values[field.name] = (field.verbose_name, value)
    shown = mask_fields(type(obj), {k: v for k, (_label, v) in values.items()}, user, obj=obj)
    return [(label, shown[name]) for name, (label, _value) in values.items()]


def plain_numbers(model, rows):
    """Years as 2014, not 2,014: counts on a page get thousands separators, years do not."""
    labels = {str(f.verbose_name) for f in model._meta.concrete_fields
              if is_plain_number(f.name)}
    return [(label, str(value) if isinstance(value, int) and not isinstance(value, bool)
             and str(label) in labels else value) for label, value in rows]


def _model_of(label: str):
    from django.apps import apps

    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def display_diff(model, before: dict, after: dict,
                 names: dict | None = None) -> list[tuple[str, object, object]]:
    """(field label, before, after) for the fields that differ, in the user's language:
    verbose names for keys, choice labels and yes/no for values, and the names of the records
    and regions a value points at (`names`, from naming.related_names) with the id muted."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    names = names or {}

    def shown(field, value):
        if value is None or value == "":
            return None
        if field is not None and isinstance(value, (int, str)) and (field.attname, value) in names:
            return naming.named(names[(field.attname, value)], value)
        if field is not None and field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field is not None and is_plain_number(field.name):
            return str(value)
        return value

    rows = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        field = by_attname.get(key)
        label = str(field.verbose_name) if field is not None else key
        rows.append((label, shown(field, before.get(key)), shown(field, after.get(key))))
    return rows


def masked_history(obj, user):
    records = list(changelog.history(type(obj), obj.pk).order_by("-id")[:100])
    names = naming.related_names(type(obj), [d for r in records for d in (r.before, r.after)],
                                 user)
    for record in records:
        before = mask_snapshot(record.model, record.before, user)
        after = mask_snapshot(record.model, record.after, user)
        record.diff = display_diff(type(obj), before, after, names)
    return records


class ObjectDetailView(AccessMixin, generic.DetailView):
    template_name = "core/object_detail.html"
    detail_fields: list[str] | None = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        ctx["fields"] = field_rows(obj, user, self.detail_fields)
        ctx["history"] = masked_history(obj, user)
        ctx["can_change_object"] = can(user, self.model, "change") and \
            restrict(self.model._default_manager.filter(pk=obj.pk), user, "change").exists()
        ctx["can_delete_object"] = can(user, self.model, "delete") and \
            restrict(self.model._default_manager.filter(pk=obj.pk), user, "delete").exists()
        if obj != user:  # one's own record is theirs to read
            log_personal_access(self.request, self.model, obj, "page")
        return ctx

    def render_to_response(self, context, **response_kwargs):
        if "fields" in context:
            context["fields"] = plain_numbers(self.model, context["fields"])
        return super().render_to_response(context, **response_kwargs)


class ObjectEditView(AccessMixin, generic.UpdateView):
    """Create (no pk in the URL) or edit. The form sees the acting user for scope checks."""

    template_name = "core/object_edit.html"
    form_class = None
    action = "change"

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return None
        return super().get_object(queryset)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        self.object = form.save()
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return reverse(self.url_names["detail"], kwargs={"pk": self.object.pk})


class ObjectCreateView(ObjectEditView):
    action = "add"


class ObjectDeleteView(AccessMixin, generic.DeleteView):
    template_name = "core/object_delete.html"
    action = "delete"

    def form_valid(self, form):
        obj = self.get_object()
        try:
            obj.delete()
        except ProtectedError:
            messages.error(self.request, _("%(object)s is still in use and cannot be deleted.")
                           % {"object": obj})
            return HttpResponseRedirect(reverse(self.url_names["detail"], kwargs={"pk": obj.pk}))
        messages.success(self.request, _("Deleted %(object)s.") % {"object": obj})
        return HttpResponseRedirect(reverse(self.url_names["list"]))


class ViewSet:
    """Declare a model's pages; `urls()` gives their URL patterns.

        class UserViews(ViewSet):
            model = User; table = UserTable; filterset = UserFilterSet; form = UserForm
        urlpatterns = UserViews.urls("accounts", prefix="users/")

    Set create_view, edit_view or delete_view to None for a model that is read-only in the UI.
    """

    model: type[models.Model]
    table = None
    filterset = None
    form = None
    detail_fields: list[str] | None = None
    pk_converter = "int"
    list_view = ObjectListView
    detail_view = ObjectDetailView
    create_view = ObjectCreateView
    edit_view = ObjectEditView
    delete_view = ObjectDeleteView
    queryset = None  # a callable giving the base queryset (select_related and the like)

    @classmethod
    def url_names(cls, namespace: str) -> dict[str, str]:
        name = cls.model._meta.model_name
        names = {"list": f"{namespace}:{name}_list", "detail": f"{namespace}:{name}"}
        if cls.create_view is not None:
            names["add"] = f"{namespace}:{name}_add"
        if cls.edit_view is not None:
            names["edit"] = f"{namespace}:{name}_edit"
        if cls.delete_view is not None:
            names["delete"] = f"{namespace}:{name}_delete"
        return names

    @classmethod
    def urls(cls, namespace: str, prefix: str = "") -> list:
        name = cls.model._meta.model_name
        common = {"model": cls.model, "url_names": cls.url_names(namespace)}
        if cls.queryset is not None:
            common["base_queryset"] = lambda self: cls.queryset()
        pk = f"{prefix}<{cls.pk_converter}:pk>"

        def make(base, **extra):
            return type(f"{cls.__name__}{base.__name__}", (base,), {**common, **extra}).as_view()

        filterset = cls.filterset
        if filterset is None:
            from django_filters.filterset import filterset_factory

            filterset = filterset_factory(cls.model, fields=[])
        patterns = [
            path(prefix, make(cls.list_view, table_class=cls.table, filterset_class=filterset),
                 name=f"{name}_list"),
            path(f"{pk}/", make(cls.detail_view, detail_fields=cls.detail_fields), name=name),
        ]
        if cls.create_view is not None:
            patterns.append(path(f"{prefix}add/", make(cls.create_view, form_class=cls.form),
                                 name=f"{name}_add"))
        if cls.edit_view is not None:
            patterns.append(path(f"{pk}/edit/", make(cls.edit_view, form_class=cls.form),
                                 name=f"{name}_edit"))
        if cls.delete_view is not None:
            patterns.append(path(f"{pk}/delete/", make(cls.delete_view), name=f"{name}_delete"))
        return patterns


def get_restricted_or_404(model, user, action: str, **lookup):
    return get_object_or_404(restrict(model._default_manager.all(), user, action), **lookup)


def mask_snapshot(model_label: str, data: dict | None, user) -> dict:
    return mask_fields(model_label, data or {}, user)


class ChangeRecordDetailView(ObjectDetailView):
    template_name = "core/changerecord_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        record, user = self.object, self.request.user
        before = mask_snapshot(record.model, record.before, user)
        after = mask_snapshot(record.model, record.after, user)
        model = _model_of(record.model)
        names = naming.related_names(model, [record.before, record.after], user)
        ctx["diff"] = display_diff(model, before, after, names)
        ctx["extra"] = record.extra
        return ctx


class ObjectActionView(AccessMixin, generic.FormView):
    """A form that runs one action (actions.py) on one object: GET shows it, POST runs it.

    Declare model, action (what the role must hold on the object), form_class, `perform(obj,
    form)` and `success_message`. A refusal from the action (a ValidationError, e.g. a step out of
    order) is shown to the user as a message; nothing is half-written because actions are atomic.
    """

    template_name = "core/object_action.html"
    title = ""

    # The object is fetched after AccessMixin.dispatch: a role without the permission gets 403,
    # a user whose scope does not hold the object gets 404.
    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["obj"] = self.object
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(object=self.object, title=self.title)
        return ctx

    def perform(self, obj, form):
        """Run the action on `obj` with the form's cleaned data (every subclass defines it)."""
        raise ImproperlyConfigured(f"{type(self).__name__} does not define perform()")

    def form_valid(self, form):
        from django.core.exceptions import ValidationError

        try:
            self.perform(self.object, form)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()


def viewset(model, table, filterset, form=None, read_only=False, **extra) -> type[ViewSet]:
    """A ViewSet for `model` from its table, filterset and form; `read_only` for records that
    change only through actions (no create, edit or delete pages)."""
    attrs = {"model": model, "table": table, "filterset": filterset, "form": form, **extra}
    if read_only:
        attrs.update(create_view=None, edit_view=None, delete_view=None)
    return type(f"{model.__name__}Views", (ViewSet,), attrs)


# --- detail pages with the records that hang off them, prefilled create pages, ?next= --------
# How to use them:
#
#     class EnterpriseDetailView(RelatedDetailView):
#         related = (Related(IndustryProject, "enterprise", table=IndustryProjectTable,
#                            title=_lazy("Industry projects")),)
#
#         def actions(self):          # buttons next to Edit, shown only when allowed
#             return [{"label": _("Close"), "icon": "x", "url": ...}]
#
#     EnterpriseViews = viewset(Enterprise, ..., detail_view=EnterpriseDetailView,
#                               create_view=prefilled("region_code"))
#
# The related rows of a page are read only through `Related.rows()`, which always passes them
# through the policy: a view cannot list a related record the user may not see, however the
# relation is declared.


def safe_next(request) -> str | None:
    """`?next=` when it points inside this site (the page a form was opened from), else None:
    an open redirect would let a link in a message send an official to another site."""
    url = request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


def add_url(model, user, **query) -> str | None:
    """The add page of `model` with `query` in its query string (which a `prefilled` create
    page takes as initial values), or None when the user's role may not add one or the model
    has no add page (records made only by actions)."""
    if not can(user, model, "add"):
        return None
    try:
        url = reverse(f"{model._meta.app_label}:{model._meta.model_name}_add")
    except NoReverseMatch:
        return None
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


class NextMixin:
    """Return to `?next=` (the page an action or form was started from) after success."""

    def get_success_url(self):
        return safe_next(self.request) or super().get_success_url()


class PrefillCreateView(NextMixin, ObjectCreateView):
    """A create page whose form starts from the query string (`?household=12` from the
    household page, `?region_code=` from a region page) and returns to `?next=`. The form
    still checks every value: a prefilled record outside the scope is refused on save, and a
    choice field offers only what the policy lets the user pick."""

    prefill: tuple[str, ...] = ()

    def get_initial(self):
        initial = super().get_initial()
        for name in self.prefill:
            value = self.request.GET.get(name, "").strip()
            if value:
                initial[name] = value
        return initial


def prefilled(*names: str) -> type[PrefillCreateView]:
    """A create view taking the fields `names` from the query string:
    `viewset(..., create_view=prefilled("team"))`, linked to with `add_url(Model, user,
    team=team.pk, next=request.path)`."""
    return type("PrefillCreateView", (PrefillCreateView,), {"prefill": names})


@dataclasses.dataclass(frozen=True)
class Related:
    """Records that hang off a shown record (a team's members, an org's meetings), declared
    once and read only through the policy (NetBox's RestrictedPrefetch, for lists).

    `fk` names the field of `model` that points at the shown record; `where(obj)` gives a Q
    for a relation that is not one foreign key (either side of a pairing). There is no way to
    hand in rows: `rows()` builds the queryset from the model's manager and passes it through
    `restrict(user, action)`, so a related list cannot bypass the policy.

    On a `RelatedDetailView`, a Related with a `table` is a section (title, count, the first
    `limit` rows, "All" and "Add" buttons); one without is read by the view's template under
    `related.<name>` (rows already restricted, ordered by `order_by`).
    """

    model: type[models.Model]
    fk: str | None = None
    table: type | None = None
    title: str = ""
    limit: int = 20
    where: Callable[[models.Model], Q] | None = None
    order_by: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    name: str = ""

    def __post_init__(self):
        if (self.fk is None) == (self.where is None):
            raise ImproperlyConfigured(f"Related({self.model.__name__}): give fk or where.")

    @property
    def key(self) -> str:
        return self.name or self.model._meta.model_name

    def rows(self, obj, user, action: str = "view") -> models.QuerySet:
        """The records related to `obj` that `user` may see (or change: `action`)."""
        condition = self.where(obj) if self.where is not None else Q(**{self.fk: obj})
        queryset = self.model._default_manager.filter(condition)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.order_by:
            queryset = queryset.order_by(*self.order_by)
        return restrict(queryset, user, action)


class RestrictedPrefetch(Prefetch):
    """A Prefetch whose rows pass through the policy (NetBox's RestrictedPrefetch): the steps
    of the procedures shown on a household page are those the user may see."""

    def __init__(self, lookup: str, user, queryset: models.QuerySet, action: str = "view",
                 to_attr: str | None = None):
        super().__init__(lookup, queryset=restrict(queryset, user, action), to_attr=to_attr)


class RelatedDetailView(ObjectDetailView):
    """A detail page with the records that hang off it (`related`, see Related), buttons
    for the actions the user may take on it (`actions()`) and the panels other apps register
    for the model (`core.panels.register(func, page=model_name)`). The generic template
    `core/object_detail.html` shows both; a page that needs more extends it (blocks
    `summary`, `related`, `extra_actions`) rather than copying it."""

    related: tuple[Related, ...] = ()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        sections, rows = [], {}
        for rel in self.related:
            rows[rel.key] = found = rel.rows(obj, user)  # none() for a role that may not see
            if rel.table is None or not can(user, rel.model, "view"):
                continue
            count = found.count()
            exclude = tuple(name for name in (rel.fk, "region_code") if name)
            table = rel.table(found[: rel.limit], exclude=exclude, orderable=False)
            table.viewer = user
            if count:  # the rows on this page, read as the role may see them
                log_personal_access(self.request, rel.model, None, "page",
                                    count=min(count, rel.limit))
            sections.append({
                "title": rel.title or rel.model._meta.verbose_name_plural, "table": table,
                "count": count, "name": rel.key, "more": count > rel.limit,
                "list_url": self._list_url(rel, obj),
                "add_url": add_url(rel.model, user, **({rel.fk: obj.pk} if rel.fk else {}),
                                   next=self.request.path),
            })
        ctx["sections"] = sections
        ctx["related"] = rows
        ctx["actions"] = self.actions()
        # What apps above this one add to the page (regions.panels, keyed by model name).
        ctx["panels"] = panels.for_page(self.model._meta.model_name, obj, user)
        return ctx

    @staticmethod
    def _list_url(rel: Related, obj) -> str | None:
        meta = rel.model._meta
        try:
            url = reverse(f"{meta.app_label}:{meta.model_name}_list")
        except NoReverseMatch:
            return None
        return f"{url}?{urlencode({rel.fk: obj.pk})}" if rel.fk else url

    def actions(self) -> list[dict]:
        """Buttons for the actions the user may take on the object: label, url, icon,
        optionally `outline` for a secondary one and `testid`."""
        return []
