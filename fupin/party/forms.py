from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.forms import DateInput, IdentityMixin, ScopedModelForm, make_form
from fupin.party import models as m


class PartyOrgForm(ScopedModelForm):
    class Meta:
        model = m.PartyOrg
        fields = ["name", "kind", "basis", "region_code", "parent", "founded_on", "dissolved_on"]
        widgets = {"founded_on": DateInput(),
                   "dissolved_on": DateInput()}

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


MemberPostForm = make_form(m.MemberPost, ["member", "post", "duties", "starts_on", "ends_on"],
                           region_from="member")
ResponsibilityZoneForm = make_form(m.ResponsibilityZone, ["member", "description"],
                                   region_from="member")
CommitmentForm = make_form(m.Commitment, ["member", "year", "text", "status", "evidence"],
                           region_from="member")
ServiceStationForm = make_form(m.ServiceStation, ["name", "host_unit", "location",
                                                  "region_code"])
StationServiceForm = make_form(m.StationService, ["station", "member", "date", "service"],
                               region_from="station")
CareVisitForm = make_form(m.CareVisit, ["member", "date", "reason", "help_given", "amount"],
                          region_from="member")
OrgMeetingForm = make_form(m.OrgMeeting, ["org", "kind", "date", "attendance", "expected",
                                          "topics", "resolutions"], region_from="org")
CommitteeForm = make_form(m.Committee, ["kind", "region_code", "org", "term_starts_on",
                                        "term_ends_on"], region_level=5)
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


class IssueTransferForm(ActionForm):
    to_org = forms.ModelChoiceField(label=_("receiving organization"),
                                    queryset=m.PartyOrg.objects.filter(dissolved_on__isnull=True))
    on = _date_field(_("issued on"))
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The receiving org may lie anywhere in the province: the other side accepts it.
        self.fields["to_org"].queryset = m.PartyOrg._base_manager.filter(
            dissolved_on__isnull=True).exclude(pk=getattr(self.obj, "org_id", None)) \
            .order_by("region_code", "name")


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
                                     queryset=m.ServiceStation._base_manager.all())
    contact = forms.ModelChoiceField(label=_("contact in the home branch"), required=False,
                                     queryset=m.PartyMember._base_manager.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["contact"].queryset = m.PartyMember._base_manager.filter(
                org_id=self.obj.org_id).exclude(pk=self.obj.pk)


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
            self.fields["members_eligible"].initial = m.PartyMember._base_manager.filter(
                org=self.obj, stage=m.c.Stage.FULL, left_on__isnull=True).count()


class NominateForm(ActionForm):
    member = forms.ModelChoiceField(label=_("member"), queryset=m.PartyMember._base_manager.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            taken = self.obj.candidates.values("member_id")
            self.fields["member"].queryset = m.PartyMember._base_manager.filter(
                org=self.obj.org, stage=m.c.Stage.FULL, left_on__isnull=True).exclude(
                pk__in=taken).order_by("name")


class RecommendationForm(ActionForm):
    """Votes of the members and of the public for each nominee (两推)."""

    public_voters = forms.IntegerField(label=_("public voters"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(self.obj.candidates.select_related("member")) if self.obj else []
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
        self.candidates = list(self.obj.candidates.filter(shortlisted=True)
                               .select_related("member")) if self.obj else []
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
