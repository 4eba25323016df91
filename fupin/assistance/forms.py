"""Forms of the assistance mechanisms: the generic record forms (kept inside the user's scope by
ScopedModelForm) and the forms of the action pages (pairing, visits, presence, finishing a
measure), which only collect what actions.py needs."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.assistance import choices as c
from fupin.assistance import models as m
from fupin.assistance import rules
from fupin.core import params
from fupin.core.forms import DateInput, ScopedModelForm, make_form
from fupin.core.policy import Role, restrict, role_of, scope_code
from fupin.party.forms import member_lookup, org_lookup
from fupin.party.models import PartyMember
from fupin.poverty.forms import household_lookup
from fupin.poverty.models import Household
from fupin.regions.scope import is_valid_code, is_within, level_of


def date_input(attrs=None):
    return DateInput(attrs)


def today() -> datetime.date:
    return timezone.localdate()


def not_future(value):
    if value and value > today():
        raise forms.ValidationError(_("The date cannot be in the future."), code="future")
    return value


def current_members(user):
    return restrict(PartyMember.objects.filter(left_on__isnull=True,
                                               stage__in=("probationary", "full")), user, "view")


class PeriodMixin:
    """`starts_on` .. `ends_on` in order."""

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned


class VillageMixin:
    """A record of a village; `?region_code=` prefills it."""

    region_level = 5


# --- work teams --------------------------------------------------------------------------------
class WorkTeamForm(PeriodMixin, VillageMixin, ScopedModelForm):
    class Meta:
        model = m.WorkTeam
        fields = ["name", "region_code", "dispatching_unit", "unit_level", "starts_on", "ends_on"]
        widgets = {"starts_on": date_input(), "ends_on": date_input()}
        labels = {"region_code": _("village")}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        minimum = int(params.get(rules.TEAM_MIN_TERM_DAYS))
        if starts and ends and ends >= starts and (ends - starts).days < minimum:
            self.add_error("ends_on", _("A work team is stationed for at least %(days)s days "
                                        "(this term has %(term)s).")
                           % {"days": minimum, "term": (ends - starts).days})
        return cleaned


class WorkTeamMemberForm(PeriodMixin, ScopedModelForm):
    region_from = "team"

    class Meta:
        model = m.WorkTeamMember
        fields = ["team", "name", "role", "member", "unit", "phone", "starts_on", "ends_on"]
        widgets = {"starts_on": date_input(), "ends_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].help_text = _("The member's party record, if they are a member.")
        if self.user is not None:
            members = current_members(self.user)
            if self.instance.member_id:  # keep the linked member even if they have left since
                members = members | restrict(PartyMember.objects.filter(
                    pk=self.instance.member_id), self.user, "view")
            member_lookup(self, members, "member")

    def clean_phone(self):
        phone = "".join(self.cleaned_data.get("phone", "").split())
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
            raise forms.ValidationError(_("A phone number has 7 to 15 digits."))
        return phone

    def clean(self):
        cleaned = super().clean()
        team, starts, ends = cleaned.get("team"), cleaned.get("starts_on"), cleaned.get("ends_on")
        if team and starts and starts < team.starts_on:
            self.add_error("starts_on", _("The team was stationed only from %(date)s.")
                           % {"date": team.starts_on})
        if team and team.ends_on and ends and ends > team.ends_on:
            self.add_error("ends_on", _("The team's term ends on %(date)s.")
                           % {"date": team.ends_on})
        return cleaned


class WorkLogEntryForm(ScopedModelForm):
    region_from = "team"

    class Meta:
        model = m.WorkLogEntry
        fields = ["team", "logged_on", "text"]
        widgets = {"logged_on": date_input(), "text": forms.Textarea(attrs={"rows": 4})}

    def clean_logged_on(self):
        return not_future(self.cleaned_data.get("logged_on"))


class ContactPointForm(PeriodMixin, ScopedModelForm):
    class Meta:
        model = m.ContactPoint
        fields = ["cadre_name", "post", "level", "region_code", "starts_on", "ends_on"]
        widgets = {"starts_on": date_input(), "ends_on": date_input()}
        labels = {"region_code": _("township or village")}

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("region_code")
        if code and "region_code" not in self.errors and is_valid_code(code) \
                and level_of(code) < 4:
            self.add_error("region_code", _("A contact point is a township or a village."))
        return cleaned


class ContactVisitForm(ScopedModelForm):
    region_from = "contact_point"

    class Meta:
        model = m.ContactVisit
        fields = ["contact_point", "visited_on", "problems_raised", "problems_solved"]
        widgets = {"visited_on": date_input(),
                   "problems_raised": forms.Textarea(attrs={"rows": 3}),
                   "problems_solved": forms.Textarea(attrs={"rows": 3})}

    def clean_visited_on(self):
        return not_future(self.cleaned_data.get("visited_on"))


class BranchPairingForm(PeriodMixin, ScopedModelForm):
    region_from = "village_org"

    class Meta:
        model = m.BranchPairing
        fields = ["village_org", "helping_org", "helping_kind", "starts_on", "ends_on",
                  "agreed_actions", "money", "materials_value", "state"]
        widgets = {"starts_on": date_input(), "ends_on": date_input(),
                   "agreed_actions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("village_org", "helping_org"):
            field = self.fields[name]
            field.queryset = field.queryset.filter(dissolved_on__isnull=True)
            if self.user is not None:
                org_lookup(self, name)

    def clean(self):
        cleaned = super().clean()
        helping, village = cleaned.get("helping_org"), cleaned.get("village_org")
        if helping and village and helping.pk == village.pk:
            self.add_error("helping_org", _("The helping branch must be another branch than "
                                            "the village branch."))
        return cleaned


# --- households: measures, industry benefits, relocation ----------------------------------------
class HouseholdRecordForm(ScopedModelForm):
    """A record of a household: takes its region; the household is chosen among those in scope
    and stays fixed once the record exists."""

    region_from = "household"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            household_lookup(self, restrict(Household.objects.all(), self.user, "view"))
        if self.instance.pk:
            self.fields["household"].disabled = True


class MeasureForm(HouseholdRecordForm):
    """A measure in the household's plan (一户一策). It is marked done through the "mark done"
    page (actions.finish_measure), which records the date."""

    class Meta:
        model = m.Measure
        fields = ["household", "kind", "year", "state", "amount", "project", "description",
                  "effect"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state = self.fields["state"]
        if self.instance.pk and self.instance.state == c.MeasureState.DONE:
            state.disabled = True
            state.help_text = _("Done on %(date)s.") % {"date": self.instance.done_on}
        else:
            state.choices = [(v, label) for v, label in c.MeasureState.choices
                             if v != c.MeasureState.DONE]
            state.help_text = _("Mark a measure done from its page.")
        if not self.instance.pk:
            self.fields["year"].initial = today().year


class IndustryBenefitForm(HouseholdRecordForm):
    class Meta:
        model = m.IndustryBenefit
        fields = ["project", "household", "kind", "amount"]


class RelocationForm(HouseholdRecordForm):
    class Meta:
        model = m.Relocation
        fields = ["household", "site", "moved_on", "housing_area", "employed", "follow_up"]
        widgets = {"moved_on": date_input(), "follow_up": forms.Textarea(attrs={"rows": 3})}


class VisitForm(ScopedModelForm):
    """Editing a logged visit; the household and the visitor stay as logged."""

    class Meta:
        model = m.Visit
        fields = ["kind", "visited_on", "findings", "help_given", "follow_up"]
        widgets = {"visited_on": date_input(), "findings": forms.Textarea(attrs={"rows": 4}),
                   "help_given": forms.Textarea(attrs={"rows": 3}),
                   "follow_up": forms.Textarea(attrs={"rows": 2})}

    def clean_visited_on(self):
        return not_future(self.cleaned_data.get("visited_on"))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and (kind == c.VisitKind.VILLAGE) != (self.instance.household_id is None):
            self.add_error("kind", _("A visit to a household is a home visit or a phone call; "
                                     "a visit without a household is a village visit."))
        return cleaned


# --- whole-village plans, industry, relocation sites, Spring Sunshine --------------------------
class VillagePlanForm(VillageMixin, ScopedModelForm):
    class Meta:
        model = m.VillagePlan
        fields = ["name", "region_code", "starts_year", "ends_year", "state", "progress",
                  "accepted_on"]
        widgets = {"accepted_on": date_input()}
        labels = {"region_code": _("village")}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("starts_year"), cleaned.get("ends_year")
        if first and last and last < first:
            self.add_error("ends_year", _("The last year is before the first year."))
        state, accepted = cleaned.get("state"), cleaned.get("accepted_on")
        if state == c.PlanState.ACCEPTED and not accepted:
            self.add_error("accepted_on", _("Give the date the plan was accepted."))
        if accepted and state and state != c.PlanState.ACCEPTED:
            self.add_error("state", _("A plan with an acceptance date is accepted."))
        not_future_field(self, "accepted_on")
        return cleaned


def not_future_field(form, name: str) -> None:
    value = form.cleaned_data.get(name)
    if value and value > today():
        form.add_error(name, _("The date cannot be in the future."))


class PlanProjectForm(ScopedModelForm):
    region_from = "plan"

    class Meta:
        model = m.PlanProject
        fields = ["plan", "name", "investment", "state", "done_on"]
        widgets = {"done_on": date_input()}

    def clean(self):
        cleaned = super().clean()
        state, done = cleaned.get("state"), cleaned.get("done_on")
        if state == c.MeasureState.DONE and not done:
            self.add_error("done_on", _("Give the date the project was done."))
        if done and state and state != c.MeasureState.DONE:
            self.add_error("state", _("A project with a completion date is done."))
        not_future_field(self, "done_on")
        return cleaned


PlanFundingForm = make_form(m.PlanFunding, ["plan", "source", "amount"], region_from="plan")
EnterpriseForm = make_form(m.Enterprise, ["name", "kind", "business", "region_code"])
IndustryProjectForm = make_form(m.IndustryProject, ["name", "enterprise", "region_code", "year",
                                                    "funds", "description"])
ResettlementSiteForm = make_form(m.ResettlementSite, ["name", "kind", "region_code", "capacity",
                                                      "built_on"],
                                 widgets={"built_on": date_input()})


class ChunhuiEnvoyForm(VillageMixin, ScopedModelForm):
    class Meta:
        model = m.ChunhuiEnvoy
        fields = ["name", "region_code", "lives_in", "occupation", "phone"]
        labels = {"region_code": _("home village")}

    clean_phone = WorkTeamMemberForm.clean_phone


class ChunhuiContributionForm(ScopedModelForm):
    region_from = "envoy"

    class Meta:
        model = m.ChunhuiContribution
        fields = ["envoy", "kind", "given_on", "value", "description"]
        widgets = {"given_on": date_input()}

    def clean_given_on(self):
        return not_future(self.cleaned_data.get("given_on"))


# --- action pages ------------------------------------------------------------------------------
class ActionForm(forms.Form):
    def __init__(self, *args, obj=None, user=None, **kwargs):
        self.obj, self.user = obj, user
        super().__init__(*args, **kwargs)


def _date_field(label, **kwargs):
    return forms.DateField(label=label, initial=today, widget=date_input(), **kwargs)


class StartPairingForm(ActionForm):
    helper = forms.ModelChoiceField(label=_("helper"), queryset=PartyMember.objects.none(),
                                    help_text=_("A current party member."))
    starts_on = _date_field(_("from"))
    helper_unit = forms.CharField(label=_("helper's unit"), max_length=100, required=False)
    unit_level = forms.ChoiceField(label=_("unit level"), required=False,
                                   choices=[("", "—"), *c.UnitLevel.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            member_lookup(self, current_members(self.user), "helper")


class EndPairingForm(ActionForm):
    ends_on = _date_field(_("ended on"))
    reason = forms.ChoiceField(label=_("reason for ending"), choices=c.PairingEndReason.choices)


class FinishMeasureForm(ActionForm):
    done_on = _date_field(_("done on"))
    amount = forms.DecimalField(label=_("amount (yuan)"), required=False, min_value=0,
                                max_digits=14, decimal_places=2)
    effect = forms.CharField(label=_("effect"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["amount"].initial = self.obj.amount
            self.fields["effect"].initial = self.obj.effect


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class PresenceForm(ActionForm):
    """Days present in a month (actions.record_presence); recording a month again corrects it."""

    month = forms.DateField(label=_("month"), widget=MonthInput(),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    days = forms.IntegerField(label=_("days present"), min_value=0, max_value=31)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = rules.last_month(today())
        self.fields["days"].help_text = _("At least %(days)s days a month are expected.") % {
            "days": params.get(rules.PRESENCE_MIN_DAYS)}


BIG = {"class": "form-control form-control-lg"}


class RecordVisitForm(forms.Form):
    """Logging a visit, made for a phone: few fields, big inputs, today's date. A helper
    chooses among their own households; others may instead give a village for a village
    visit."""

    household = forms.ModelChoiceField(label=_("household"), required=False,
                                       queryset=Household.objects.none())
    region_code = forms.CharField(label=_("village"), required=False, max_length=12,
                                  help_text=_("For a visit to the village itself, without a "
                                              "household: its 12-digit code."),
                                  widget=forms.TextInput(attrs={**BIG, "inputmode": "numeric"}))
    kind = forms.ChoiceField(label=_("kind"), choices=c.VisitKind.choices,
                             initial=c.VisitKind.HOME,
                             widget=forms.RadioSelect(attrs={"class": "btn-check"}))
    visited_on = forms.DateField(label=_("visited on"), initial=today, widget=date_input(BIG))
    findings = forms.CharField(label=_("what was found"),
                               widget=forms.Textarea(attrs={**BIG, "rows": 4}))
    help_given = forms.CharField(label=_("help given"), required=False,
                                 widget=forms.Textarea(attrs={**BIG, "rows": 3}))
    follow_up = forms.CharField(label=_("follow-up"), required=False,
                                widget=forms.Textarea(attrs={**BIG, "rows": 2}))
    visitor_name = forms.CharField(label=_("visited by"), required=False, max_length=50,
                                   help_text=_("Leave empty when you made the visit yourself."),
                                   widget=forms.TextInput(attrs=BIG))

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.is_helper = role_of(user) == Role.HELPER
        households = restrict(Household.objects.all(), user, "view")
        village = self.initial.get("region_code")
        if village and is_valid_code(village) and level_of(village) == 5:
            households = households.filter(region_code=village)
        household_lookup(self, households)
        self.no_households = not households.exists()
        field = self.fields["household"]
        field.widget.attrs.update({"class": "form-select form-select-lg"} if isinstance(
            field.widget, forms.Select) else {**BIG, "inputmode": "numeric"})
        if self.is_helper:
            # A helper visits their own households; the village and the visitor are theirs.
            field.required = True
            field.empty_label = None if households.count() == 1 else field.empty_label
            del self.fields["region_code"], self.fields["visitor_name"]
            self.fields["kind"].choices = [(v, label) for v, label in c.VisitKind.choices
                                           if v != c.VisitKind.VILLAGE]

    def clean_visited_on(self):
        return not_future(self.cleaned_data.get("visited_on"))

    def clean_region_code(self):
        code = (self.cleaned_data.get("region_code") or "").strip()
        if not code:
            return ""
        if not is_valid_code(code) or level_of(code) != 5:
            raise forms.ValidationError(_("Give the 12-digit code of a village."))
        if not is_within(code, scope_code(self.user)):
            raise forms.ValidationError(_("This region is outside your scope."))
        return code

    def clean(self):
        cleaned = super().clean()
        household, village = cleaned.get("household"), cleaned.get("region_code")
        if household is None and not village and "household" not in self.errors \
                and "region_code" not in self.errors:
            self.add_error("household", _("Choose the household, or give the village visited."))
        if household is not None and village and household.region_code != village:
            self.add_error("region_code", _("The household is in another village."))
        return cleaned
