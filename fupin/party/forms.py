from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.forms import (
    SELECT_LIMIT,
    DatalistInput,
    DateInput,
    IdentityMixin,
    LookupChoiceField,
    ScopedModelForm,
    lookup,
    make_form,
)
from fupin.core.policy import can, restrict, scope_code
from fupin.party import models as m
from fupin.regions.scope import ancestor_codes


def org_lookup(form, name: str) -> None:
    """Choose an organization among those the field offers (ScopedModelForm restricted them):
    a select for a township's few, the organization code typed for a county's hundreds."""
    lookup(form, name, form.fields[name].queryset.order_by("region_code", "name"), key="code",
           label_key=_("organization code"), help_key=_("Type the organization code."))


def member_lookup(form, queryset, name: str) -> None:
    """Choose a member among `queryset` (restricted by the caller): a select for a branch's
    few, the ID number typed for a county's many."""
    lookup(form, name, queryset.select_related("org").order_by("region_code", "name"),
           key="id_number", label_key=_("ID number"),
           help_key=_("Type the member's ID number."))
    # Two members may share a name: the select tells them apart by their organization.
    form.fields[name].label_from_instance = lambda member: f"{member.name} · {member.org}"


class PartyOrgForm(ScopedModelForm):
    class Meta:
        model = m.PartyOrg
        fields = ["name", "kind", "basis", "region_code", "parent", "founded_on", "dissolved_on"]
        widgets = {"founded_on": DateInput(),
                   "dissolved_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            org_lookup(self, "parent")

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        node = parent
        while node is not None and self.instance.pk:
            if node.pk == self.instance.pk:
                self.add_error("parent", _("An organization cannot sit under itself."))
                break
            node = node.parent
        return cleaned


class PartyMemberForm(IdentityMixin, ScopedModelForm):
    """Identity and contact; the stage moves only through actions (advance_stage), and the
    organization only through a transfer."""

    region_from = "org"

    class Meta:
        model = m.PartyMember
        fields = ["org", "name", "id_number", "sex", "birth_date", "ethnicity", "education",
                  "phone", "occupation", "is_farmer", "is_demo_household"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relax_derived()
        if self.user is not None:
            org_lookup(self, "org")
        if self.instance.pk:
            self.fields["org"].disabled = True
            self.fields["org"].help_text = _("Members move between organizations by transfer.")


class CadreForm(IdentityMixin, ScopedModelForm):
    region_level = 5

    class Meta:
        model = m.Cadre
        fields = ["name", "region_code", "id_number", "sex", "birth_date", "education",
                  "is_college_graduate", "member", "phone"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relax_derived()
        if self.user is not None:
            member_lookup(self, self.fields["member"].queryset, "member")


def with_lookup(form_class, name: str, choose):
    """`form_class` whose field `name` is chosen by `choose(form, name)` (org_lookup,
    members) among what ScopedModelForm has left in the field's queryset: the records the
    user may see."""

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        if self.user is not None:
            choose(self, name)

    return type(form_class.__name__, (form_class,), {"__init__": __init__})


def members(form, name: str) -> None:
    member_lookup(form, form.fields[name].queryset, name)


MemberPostForm = with_lookup(make_form(
    m.MemberPost, ["member", "post", "duties", "starts_on", "ends_on"], region_from="member"),
    "member", members)
ResponsibilityZoneForm = with_lookup(make_form(
    m.ResponsibilityZone, ["member", "description"], region_from="member"), "member", members)
CommitmentForm = with_lookup(make_form(
    m.Commitment, ["member", "year", "text", "status", "evidence"], region_from="member"),
    "member", members)
ServiceStationForm = make_form(m.ServiceStation, ["name", "host_unit", "location",
                                                  "region_code"])
StationServiceForm = with_lookup(make_form(
    m.StationService, ["station", "member", "date", "service"], region_from="station"),
    "member", members)
CareVisitForm = with_lookup(make_form(
    m.CareVisit, ["member", "date", "reason", "help_given", "amount"], region_from="member"),
    "member", members)
OrgMeetingForm = with_lookup(make_form(
    m.OrgMeeting, ["org", "kind", "date", "attendance", "expected", "topics", "resolutions"],
    region_from="org"), "org", org_lookup)
CommitteeForm = with_lookup(make_form(
    m.Committee, ["kind", "region_code", "org", "term_starts_on", "term_ends_on"],
    region_level=5), "org", org_lookup)
CadreCareerForm = make_form(m.CadreCareer, ["cadre", "move", "date", "new_post"],
                            region_from="cadre")
CadreWelfareForm = make_form(m.CadreWelfare, ["cadre", "year", "pay", "pension_insurance",
                                              "medical_insurance", "severance"],
                             region_from="cadre")


class ActionForm(forms.Form):
    def __init__(self, *args, obj=None, user=None, **kwargs):
        self.obj, self.user = obj, user
        super().__init__(*args, **kwargs)


def _date_field(label):
    return forms.DateField(label=label, initial=timezone.localdate,
                           widget=DateInput())


class AdvanceStageForm(ActionForm):
    on = _date_field(_("date"))


class ReceivingOrgField(LookupChoiceField):
    """The receiving organization of a transfer, typed as its organization code, or as its
    name when no other organization has that name."""

    def to_python(self, value):
        text = "".join(str(value or "").split())
        if text in self.empty_values:
            return None
        found = self.queryset.filter(code=text.upper()).first()
        if found is None:
            named = list(self.queryset.filter(name=text)[:2])
            if len(named) > 1:
                raise forms.ValidationError(
                    _("Several organizations are named “%(name)s”: give the organization code.")
                    % {"name": text}, code="ambiguous")
            found = named[0] if named else None
        if found is None:
            raise forms.ValidationError(_("No current party organization has this code or name."),
                                        code="invalid_choice")
        return found


class IssueTransferForm(ActionForm):
    """Issue a transfer. The receiving organization may be anywhere in the province (a member
    moving to another county: the receiving side accepts), so it is not restricted to the
    user's scope; but it is typed, by code or name, and never offered in a select of the
    province's organizations: the suggestions are only those the user may see."""

    to_org = ReceivingOrgField(label=_("receiving organization"),
                               queryset=m.PartyOrg.objects.none())
    on = _date_field(_("issued on"))
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = getattr(self.obj, "org_id", None)
        # Unrestricted on purpose (see the docstring): only what the user types is looked up
        # here, one organization at a time.
        field = self.fields["to_org"]
        field.queryset = m.PartyOrg._base_manager.filter(dissolved_on__isnull=True).exclude(
            pk=own)
        suggestions = restrict(m.PartyOrg.objects.filter(dissolved_on__isnull=True),
                               self.user, "view").exclude(pk=own).order_by("region_code", "name")
        field.widget = DatalistInput([(org.code, org.name) for org in suggestions[:SELECT_LIMIT]],
                                     attrs={"placeholder": _("organization code or name")})
        field.help_text = _("Type the receiving organization's code (or its name); it may be "
                            "in another county.")


class AcceptTransferForm(ActionForm):
    on = _date_field(_("accepted on"))


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("reason"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MobilityForm(ActionForm):
    away_since = _date_field(_("away since"))
    location = forms.CharField(label=_("where"), max_length=100)
    reason = forms.CharField(label=_("why"), max_length=100, required=False)
    station = forms.ModelChoiceField(label=_("service station"), required=False,
                                     queryset=m.ServiceStation.objects.none())
    contact = forms.ModelChoiceField(label=_("contact in the home branch"), required=False,
                                     queryset=m.PartyMember.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None:
            return
        # A station serves the members of the region that runs it and of every region under
        # it: a county's member may register at the province's station in Shenzhen, which the
        # county does not otherwise see.
        if can(self.user, m.ServiceStation, "view"):
            own = scope_code(self.user)
            above = ancestor_codes(own)[:-1] if own else []
            self.fields["station"].queryset = (
                restrict(m.ServiceStation.objects.all(), self.user, "view")
                | m.ServiceStation.objects.filter(region_code__in=above)).order_by("name")
        if self.obj is not None:
            member_lookup(self, restrict(m.PartyMember.objects.filter(
                org_id=self.obj.org_id, left_on__isnull=True), self.user, "view").exclude(
                pk=self.obj.pk), "contact")


class ContactForm(ActionForm):
    on = _date_field(_("date"))


class MeetingForm(ActionForm):
    kind = forms.ChoiceField(label=_("kind"), choices=m.c.MeetingKind.choices)
    date = _date_field(_("date"))
    attendance = forms.IntegerField(label=_("attendance"), min_value=0)
    expected = forms.IntegerField(label=_("members expected"), min_value=0)
    topics = forms.CharField(label=_("topics"), max_length=500)
    resolutions = forms.CharField(label=_("resolutions"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class PeriodForm(forms.Form):
    region = forms.CharField(label=_("region"), required=False)
    start = forms.DateField(label=_("from"), required=False,
                            widget=DateInput())
    end = forms.DateField(label=_("to"), required=False,
                          widget=DateInput())


class OpenElectionForm(ActionForm):
    seats = forms.IntegerField(label=_("seats"), min_value=1, max_value=15, initial=3)
    members_eligible = forms.IntegerField(label=_("members eligible to vote"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["members_eligible"].initial = restrict(m.PartyMember.objects.filter(
                org=self.obj, stage=m.c.Stage.FULL, left_on__isnull=True), self.user,
                "view").count()


class NominateForm(ActionForm):
    member = forms.ModelChoiceField(label=_("member"), queryset=m.PartyMember.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            taken = self.obj.candidates.values("member_id")
            member_lookup(self, restrict(m.PartyMember.objects.filter(
                org=self.obj.org, stage=m.c.Stage.FULL, left_on__isnull=True), self.user,
                "view").exclude(pk__in=taken), "member")


class RecommendationForm(ActionForm):
    """Votes of the members and of the public for each nominee (两推)."""

    public_voters = forms.IntegerField(label=_("public voters"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(restrict(m.Candidate.objects.filter(election=self.obj), self.user,
                                        "view").select_related("member")) if self.obj else []
        self.fields["public_voters"].initial = getattr(self.obj, "public_voters", 0)
        for cand in self.candidates:
            self.fields[f"mv_{cand.member_id}"] = forms.IntegerField(
                label=_("%(name)s: votes of members") % {"name": cand.member.name},
                min_value=0, initial=cand.member_votes)
            self.fields[f"pv_{cand.member_id}"] = forms.IntegerField(
                label=_("%(name)s: votes of the public") % {"name": cand.member.name},
                min_value=0, initial=cand.public_votes)

    def votes(self) -> dict:
        d = self.cleaned_data
        return {c.member_id: (d[f"mv_{c.member_id}"], d[f"pv_{c.member_id}"])
                for c in self.candidates}


class ShortlistForm(ActionForm):
    """Draw the shortlist by the configured thresholds; nothing to fill in."""


class BallotForm(ActionForm):
    held_on = _date_field(_("held on"))
    members_present = forms.IntegerField(label=_("members present"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(restrict(m.Candidate.objects.filter(
            election=self.obj, shortlisted=True), self.user, "view").select_related(
            "member")) if self.obj else []
        for cand in self.candidates:
            self.fields[f"v_{cand.member_id}"] = forms.IntegerField(
                label=_("%(name)s: votes") % {"name": cand.member.name}, min_value=0)
            self.fields[f"p_{cand.member_id}"] = forms.ChoiceField(
                label=_("%(name)s: post if elected") % {"name": cand.member.name},
                choices=[("", "—"), *m.c.Post.choices], required=False)

    def votes(self) -> dict:
        return {c.member_id: self.cleaned_data[f"v_{c.member_id}"] for c in self.candidates}

    def posts(self) -> dict:
        return {c.member_id: self.cleaned_data[f"p_{c.member_id}"] for c in self.candidates
                if self.cleaned_data.get(f"p_{c.member_id}")}


class CloseElectionForm(ActionForm):
    on = _date_field(_("new committee from"))
