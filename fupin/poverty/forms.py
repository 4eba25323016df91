from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.forms import DateInput, IdentityMixin, ScopedModelForm, lookup
from fupin.core.policy import restrict
from fupin.poverty import choices as c
from fupin.poverty.models import CrosscheckLead, Household, Person, PovertyLine, VillageProfile
from fupin.poverty.services import refresh_household_summary


def household_lookup(form, queryset, name: str = "household") -> None:
    """Choose a household among `queryset` (restricted by the caller): a select for a village's
    few, the household number (on its registration card) typed for a county's many."""
    lookup(form, name, queryset.order_by("region_code", "number"), key="number",
           label_key=_("household number"),
           help_key=_("Type the household number (on its registration card)."))


class HouseholdForm(ScopedModelForm):
    region_level = 5
    secondary_causes = forms.MultipleChoiceField(
        label=_("secondary causes"), choices=c.PovertyCause.choices, required=False,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Household
        # Status and monitored group change only through the procedures (actions.py).
        fields = ["region_code", "number", "attribute", "standard", "identification_year",
                  "main_cause", "secondary_causes", "housing_area", "housing_structure",
                  "housing_year", "housing_safe", "basic_needs_food", "basic_needs_education",
                  "basic_needs_medical", "basic_needs_housing", "basic_needs_water",
                  "relocated", "phone", "bank_account"]

    def clean_phone(self):
        phone = "".join(self.cleaned_data.get("phone", "").split())
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
            raise forms.ValidationError(_("A phone number has 7 to 15 digits."))
        return phone

    def clean_bank_account(self):
        account = "".join(self.cleaned_data.get("bank_account", "").split())
        if account and not (account.isdigit() and 12 <= len(account) <= 30):
            raise forms.ValidationError(_("A bank account number has 12 to 30 digits."))
        return account

    def clean(self):
        cleaned = super().clean()
        main = cleaned.get("main_cause")
        if main and main in (cleaned.get("secondary_causes") or []):
            self.add_error("secondary_causes",
                           _("The main cause should not be repeated as a secondary cause."))
        year = cleaned.get("housing_year")
        if year and year > timezone.localdate().year:
            self.add_error("housing_year", _("The year built cannot be in the future."))
        return cleaned


class PersonForm(IdentityMixin, ScopedModelForm):
    class Meta:
        model = Person
        fields = ["household", "name", "id_number", "sex", "birth_date", "relation", "ethnicity",
                  "education", "in_school", "health", "labour_capacity", "migrant_status",
                  "on_dibao", "medical_insurance", "pension_insurance"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relax_derived()
        if self.user is not None:
            # A member is added to a household the user may change (`?household=` from the
            # household page is kept only if it is one).
            household_lookup(self, restrict(Household.objects.all(), self.user, "change"))

    def clean(self):
        cleaned = super().clean()
        household = cleaned.get("household")
        if household and cleaned.get("relation") == c.Relation.HEAD:
            # Unrestricted on purpose: a household has one head whoever may see them; only
            # whether one exists is read, never shown or offered.
            heads = Person._base_manager.filter(household=household, relation=c.Relation.HEAD)
            if heads.exclude(pk=self.instance.pk).exists():
                self.add_error("relation", _("This household already has a head."))
        return cleaned

    def save(self, commit=True):
        person = super().save(commit=False)
        old_household = None
        if person.pk:
            # The stored household (before this edit) whose summary must be recomputed: an
            # internal read for bookkeeping, nothing of it is shown or offered.
            old_household = Person._base_manager.filter(pk=person.pk).values_list(
                "household_id", flat=True).first()
        person.region_code = person.household.region_code
        if commit:
            person.save()
            refresh_household_summary(person.household)
            if old_household and old_household != person.household_id:
                refresh_household_summary(Household._base_manager.get(pk=old_household))
        return person


class VillageProfileForm(ScopedModelForm):
    region_level = 5

    class Meta:
        model = VillageProfile
        fields = ["region_code", "rural_population", "households", "is_key_village",
                  "is_poor_village", "poor_village_exit_year", "collective_income",
                  "net_income_per_capita", "has_road",
                  "has_electricity", "has_safe_water", "has_broadband", "has_clinic",
                  "has_school"]


class PovertyLineForm(forms.ModelForm):
    class Meta:
        model = PovertyLine
        fields = ["year", "poverty_line", "low_income_line", "monitoring_line", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        line, low = cleaned.get("poverty_line"), cleaned.get("low_income_line")
        if line is not None and line <= 0:
            self.add_error("poverty_line", _("The poverty line must be above zero."))
        if line is not None and low is not None and low < line:
            self.add_error("low_income_line",
                           _("The low-income line cannot be below the poverty line."))
        return cleaned


class LeadReviewForm(forms.Form):
    """Confirm or dismiss a cross-check lead."""

    decision = forms.ChoiceField(label=_("decision"), choices=[
        (c.LeadState.CONFIRMED, c.LeadState.CONFIRMED.label),
        (c.LeadState.DISMISSED, c.LeadState.DISMISSED.label)])
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, obj: CrosscheckLead | None = None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj, self.user = obj, user


class ActionForm(forms.Form):
    """Base of the forms that run an action on `obj` for `user`."""

    def __init__(self, *args, obj=None, user=None, **kwargs):
        self.obj, self.user = obj, user
        super().__init__(*args, **kwargs)


class StartProcedureForm(ActionForm):
    kind = forms.ChoiceField(label=_("procedure"), choices=c.ProcedureKind.choices)
    on = forms.DateField(label=_("date"), initial=timezone.localdate,
                         widget=DateInput())
    lead_source = forms.ChoiceField(label=_("lead source"), required=False,
                                    choices=[("", "—"), *c.LeadSource.choices],
                                    help_text=_("For monitoring: where the lead came from."))
    monitored_group = forms.ChoiceField(label=_("monitored group"), required=False,
                                        choices=[("", "—"), *c.MonitoredGroup.choices])
    note = forms.CharField(label=_("note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class TakeStepForm(ActionForm):
    on = forms.DateField(label=_("date"), initial=timezone.localdate,
                         widget=DateInput())
    note = forms.CharField(label=_("note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    signed = forms.BooleanField(label=_("the household has signed"), required=False)
    consent = forms.BooleanField(label=_("the household gave written consent to data checks"),
                                 required=False)

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        requires = set(getattr(step, "requires", ()))
        for name in ("signed", "consent"):
            if name not in requires:
                del self.fields[name]


class RejectForm(ActionForm):
    reason = forms.CharField(label=_("reason"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class IncomeForm(ActionForm):
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=2100)
    wages = forms.DecimalField(label=_("wage income"), min_value=0, initial=0)
    business = forms.DecimalField(label=_("household business income"), initial=0)
    transfers = forms.DecimalField(label=_("transfer income"), min_value=0, initial=0)
    property_income = forms.DecimalField(label=_("property income"), min_value=0, initial=0)
    production_costs = forms.DecimalField(label=_("production costs"), min_value=0, initial=0)
    members = forms.IntegerField(label=_("members counted"), min_value=1, required=False,
                                 help_text=_("The household's members when left empty."))
