"""Form base classes: every form knows its user and keeps records inside the user's scope."""

from __future__ import annotations

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from fupin.core import directory
from fupin.core.idnumber import InvalidIdNumber, cross_check, normalize, parse
from fupin.core.policy import scope_code
from fupin.regions.scope import is_valid_code, is_within

BLANK_CHOICE = "---------"  # Django's and django-filter's label for "nothing chosen"


def label_empty_choices(form, label, *, unknown_too: bool = False) -> None:
    """Give the "nothing chosen" entry of every select in `form` a readable label instead of
    Django's "---------" (请选择 in a form, 全部 in a filter). `unknown_too` also relabels a
    yes/no filter's "Unknown", which there means "any" (no filtering), not "not known"."""
    for field in form.fields.values():
        if isinstance(field, forms.NullBooleanField):
            if unknown_too and isinstance(field.widget, forms.NullBooleanSelect):
                field.widget.choices = [("unknown", label)] + [
                    c for c in field.widget.choices if c[0] != "unknown"]
            continue
        if hasattr(field, "empty_label"):  # ModelChoiceField, django-filter's ChoiceField
            if field.empty_label is not None and str(field.empty_label) == BLANK_CHOICE:
                field.empty_label = label
                if not hasattr(field, "queryset"):
                    # The widget's copy of the choices still reads the declared field's label.
                    field.widget.choices = list(field.choices)
            continue
        if isinstance(field, forms.ChoiceField) and not callable(getattr(field, "queryset", 0)):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]) == BLANK_CHOICE:
                field.choices = [(choices[0][0], label), *choices[1:]]


class ScopedModelForm(forms.ModelForm):
    region_field_name = "region_code"
    region_level: int | None = None  # e.g. 5: the record belongs to a village
    region_from: str | None = None  # e.g. "member": the record takes its member's region

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        label_empty_choices(self, _("— choose —"))
        field = self.fields.get(self.region_field_name)
        if field is not None and not self.instance.pk and user is not None:
            field.initial = scope_code(user)
        if user is not None:
            # A choice of a related record offers only the records the user may see.
            from fupin.core.policy import restrict

            for other in self.fields.values():
                queryset = getattr(other, "queryset", None)
                if queryset is not None and hasattr(queryset, "restrict"):
                    other.queryset = restrict(queryset, user, "view")
        self.write_only = self._hide_personal_fields(user)

    def _hide_personal_fields(self, user) -> list[str]:
        """The personal fields of a stored record that the user's role does not see in full
        (`fupin.core.policy.can_see`). Their input starts empty, as the stored value would
        show in it; an empty one keeps the stored value, so a role may correct what it cannot
        read (a village secretary a household's new bank account)."""
        from fupin.core.masking import full_fields, personal_fields_of

        if user is None or not self.instance.pk or self.instance == user:
            return []
        shown = set(full_fields(type(self.instance), user))
        hidden = [name for name in personal_fields_of(type(self.instance))
                  if name in self.fields and name not in shown]
        for name in hidden:
            field = self.fields[name]
            field.required = False
            self.initial[name] = ""
            if getattr(field, "choices", None) is not None:
                field.choices = [("", _("(hidden)"))] + [c for c in field.choices if c[0] != ""]
            field.help_text = _("Hidden for your role; left empty, the stored value stays.")
        return hidden

    def clean(self):
        cleaned = super().clean()
        for name in getattr(self, "write_only", ()):
            if cleaned.get(name) in ("", None):
                cleaned[name] = getattr(self.instance, name)
        code = cleaned.get(self.region_field_name)
        if code and self.user is not None:
            region = directory.entry(code) if is_valid_code(code) else None
            if region is None:
                self.add_error(self.region_field_name, _("No region has this code."))
            elif not is_within(code, scope_code(self.user)):
                self.add_error(self.region_field_name, _("This region is outside your scope."))
            elif self.region_level is not None and region.level != self.region_level:
                self.add_error(self.region_field_name,
                               _("%(name)s is a %(level)s; a %(wanted)s is needed here.")
                               % {"name": region.name, "level": region.level_label,
                                  "wanted": directory.level_label(self.region_level)})
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=False)
        if self.region_from:
            instance.region_code = getattr(instance, self.region_from).region_code
        if commit:
            instance.save()
            self.save_m2m()
        return instance


class DateInput(forms.DateInput):
    """A date picker. Its value is ISO whatever the language: a type="date" input takes nothing
    else (zh-hans would render 2025/06/01, which the browser shows as empty)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's name
        super().__init__(attrs, format=format)


def make_form(model, fields: list[str], *, region_level: int | None = None,
              region_from: str | None = None, widgets: dict | None = None):
    """A ScopedModelForm for `model` from a declaration; date fields get a date picker."""
    from django.db import models as m

    widgets = dict(widgets or {})
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, m.DateField) and not isinstance(field, m.DateTimeField):
            widgets.setdefault(name, DateInput())
        if isinstance(field, m.TextField):
            widgets.setdefault(name, forms.Textarea(attrs={"rows": 3}))
    meta = type("Meta", (), {"model": model, "fields": fields, "widgets": widgets})
    return type(f"{model.__name__}Form", (ScopedModelForm,),
                {"Meta": meta, "region_level": region_level, "region_from": region_from})


class IdentityMixin:
    """A form with `id_number`, `sex` and `birth_date`: the number checked (GB 11643), sex and
    birth date derived from it when left empty and cross-checked when given."""

    def clean_id_number(self):
        value = normalize(self.cleaned_data.get("id_number", ""))
        try:
            self._id_info = parse(value, today=timezone.localdate())
        except InvalidIdNumber as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return value

    def clean(self):
        cleaned = super().clean()
        info = getattr(self, "_id_info", None)
        if info is not None:
            for message in cross_check(info, cleaned.get("sex") or None,
                                       cleaned.get("birth_date")):
                self.add_error(None, message)
            cleaned["sex"] = cleaned.get("sex") or info.sex
            cleaned["birth_date"] = cleaned.get("birth_date") or info.birth_date
            self.instance.sex, self.instance.birth_date = cleaned["sex"], cleaned["birth_date"]
        return cleaned

    def relax_derived(self):
        for name in ("sex", "birth_date"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Taken from the ID number when left empty.")


# --- choosing a related record among many -----------------------------------------------------
# A select offers at most this many records; past it the user types the record's key (the
# household number, the member's ID number, the organization code), so a county's households
# are not sent to a phone and a province's organizations are not listed to anyone.
SELECT_LIMIT = 300


class LookupChoiceField(forms.ModelChoiceField):
    """A choice of a related record: a select while there are few, else a text box for the
    record's key (spaces dropped and letters upper-cased, as keys are typed from paper)."""

    def to_python(self, value):
        if isinstance(value, str) and self.to_field_name:
            value = "".join(value.split()).upper()
        return super().to_python(value)


def lookup(form, name: str, queryset, *, key: str, label_key: str, help_key: str,
           limit: int | None = None) -> None:
    """Make `form.fields[name]` choose among `queryset`: a select up to `limit` records
    (SELECT_LIMIT), else a text box for `key`, a unique field of the model. Call it from the
    form's `__init__` with a queryset the policy gave (`restrict(..., user, "view")`): only
    those records can be picked, by either widget. The initial value (a pk from `?name=` or
    the instance) becomes the record itself so that either widget shows it.

        lookup(self, "household", restrict(Household.objects.all(), self.user, "view"),
               key="number", label_key=_("household number"),
               help_key=_("Type the household number."))
    """
    old = form.fields[name]
    field = LookupChoiceField(queryset, required=old.required, label=old.label,
                              help_text=old.help_text, disabled=old.disabled)
    if queryset.count() > (SELECT_LIMIT if limit is None else limit):
        field.to_field_name = key
        field.widget = forms.TextInput(attrs={"autocomplete": "off", "placeholder": label_key})
        field.help_text = help_key
    form.fields[name] = field
    initial = form.initial.get(name)
    if initial in (None, ""):
        instance = getattr(form, "instance", None)
        initial = getattr(instance, f"{name}_id", None) if instance is not None else None
    if initial not in (None, "") and not isinstance(initial, Model):
        try:
            found = queryset.filter(pk=int(initial)).first()  # only a record the user may pick
        except (TypeError, ValueError):
            found = None
        if found is not None:
            form.initial[name] = found
        else:
            form.initial.pop(name, None)


class DatalistInput(forms.TextInput):
    """A text box with suggestions (an HTML datalist): for a key that may be any record of the
    province while the user usually picks one of the few in their own scope. Only
    `suggestions` (pairs of value and label, from a restricted queryset) reach the page."""

    def __init__(self, suggestions=(), attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.suggestions = list(suggestions)

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}_suggestions"
        box = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}">{}</option>', self.suggestions)
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)
