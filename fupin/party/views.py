import datetime

from django import forms as djforms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic

from fupin.core import panels
from fupin.core.forms import DateInput
from fupin.core.policy import is_visible, restrict, scope_code
from fupin.core.views import (
    AccessMixin,
    NextMixin,
    ObjectActionView,
    Related,
    RelatedDetailView,
    prefilled,
    viewset,
)
from fupin.party import actions, forms, rules, tables
from fupin.party import filtersets as f
from fupin.party import models as m
from fupin.regions.models import Level, Region
from fupin.regions.scope import (
    ancestor_at,
    ancestor_codes,
    is_valid_code,
    is_within,
    level_of,
    within,
)


class PartyOrgDetailView(RelatedDetailView):
    """Its members, subordinate organizations and meetings, and how its organization life
    (三会一课) measures up over the last three complete months."""

    template_name = "party/partyorg_detail.html"
    related = (
        Related(m.OrgMeeting, "org", table=tables.OrgMeetingTable, title=_("Recent meetings"),
                order_by=("-date", "-id"), limit=12),
        Related(m.PartyOrg, "parent", table=tables.PartyOrgTable,
                title=_("Subordinate organizations"), name="children"),
        Related(m.PartyMember, "org", table=tables.PartyMemberTable, title=_("Members"),
                limit=50),
    )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.object
        start, end = default_period(timezone.localdate())
        ctx.update(
            # The regions a joint org covers are part of the org itself, not records of their
            # own: whoever sees the org sees what it covers.
            covered=list(org.covered_regions.values_list("region_code", flat=True)),
            shortfall=rules.meeting_shortfalls([org], start, end)[0],
            period=(start, end),
        )
        return ctx

    def actions(self):
        org = self.object
        # Recording a meeting needs the org to be visible; record_meeting checks the rest.
        buttons = [{"label": _("Record a meeting"), "icon": "calendar-plus",
                    "url": reverse("party:org_meeting", args=[org.pk]),
                    "testid": "record-meeting"}]
        if org.kind in ("branch", "general_branch"):
            buttons.append({"label": _("Open an election"), "icon": "checkbox",
                            "url": reverse("party:org_election", args=[org.pk])})
        return buttons


class PartyMemberDetailView(RelatedDetailView):
    related = (
        Related(m.Transfer, "member", table=tables.TransferTable,
                title=_("Membership transfers"), order_by=("-id",)),
        Related(m.MobileMembership, "member", table=tables.MobileMembershipTable,
                title=_("Working away"), order_by=("-away_since",)),
        Related(m.MemberPost, "member", table=tables.MemberPostTable),
        Related(m.ResponsibilityZone, "member", table=tables.ResponsibilityZoneTable),
        Related(m.Commitment, "member", table=tables.CommitmentTable),
        Related(m.CareVisit, "member", table=tables.CareVisitTable),
    )

    def actions(self):
        member, user = self.object, self.request.user
        if not is_visible(member, user, "change"):
            return []
        buttons = []
        if rules.next_stage(member):
            buttons.append({"label": _("Next stage"), "icon": "stairs-up",
                            "url": reverse("party:member_stage", args=[member.pk]),
                            "testid": "advance-stage"})
        buttons += [{"label": _("Transfer"), "icon": "transfer",
                     "url": reverse("party:member_transfer", args=[member.pk])},
                    {"label": _("Working away"), "icon": "plane-departure",
                     "url": reverse("party:member_mobility", args=[member.pk])}]
        return buttons


class ElectionDetailView(RelatedDetailView):
    related = (Related(m.Candidate, "election", table=tables.CandidateTable,
                       title=_("Candidates"), select_related=("member",), limit=50),)
    # The pages of the steps that may come next, by state (两推一选).
    next_step = {"nomination": ("party:election_nominate", "party:election_recommend"),
                 "recommendation": ("party:election_recommend", "party:election_shortlist"),
                 "shortlist": ("party:election_ballot",), "ballot": ("party:election_close",)}
    step_labels = {"party:election_nominate": _("Nominate"),
                   "party:election_recommend": _("Record the recommendation votes"),
                   "party:election_shortlist": _("Draw the shortlist"),
                   "party:election_ballot": _("Record the election"),
                   "party:election_close": _("Write the result into the committee")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["candidates"] = ctx["related"]["candidate"]
        return ctx

    def actions(self):
        election = self.object
        if not is_visible(election, self.request.user, "change"):
            return []
        steps = self.next_step.get(election.state, ())
        return [{"label": self.step_labels[name], "icon": "player-play",
                 "url": reverse(name, args=[election.pk]), "primary": i == len(steps) - 1}
                for i, name in enumerate(steps)]


class TransferDetailView(RelatedDetailView):
    def actions(self):
        transfer = self.object
        if transfer.state != "issued" or not is_visible(transfer, self.request.user, "change"):
            return []
        return [{"label": _("Accept"), "icon": "check", "primary": True, "testid": "accept",
                 "url": reverse("party:transfer_accept", args=[transfer.pk])},
                {"label": _("Return"), "icon": "arrow-back-up",
                 "url": reverse("party:transfer_return", args=[transfer.pk])}]


class CadreDetailView(RelatedDetailView):
    related = (Related(m.CadrePosition, "cadre", table=tables.CadrePositionTable),
               Related(m.CadreCareer, "cadre", table=tables.CadreCareerTable),
               Related(m.CadreWelfare, "cadre", table=tables.CadreWelfareTable))


class ServiceStationDetailView(RelatedDetailView):
    related = (Related(m.StationService, "station", table=tables.StationServiceTable),
               Related(m.MobileMembership, "station", table=tables.MobileMembershipTable))


PartyOrgViews = viewset(m.PartyOrg, tables.PartyOrgTable, f.PartyOrgFilterSet, forms.PartyOrgForm,
                        detail_view=PartyOrgDetailView, create_view=prefilled("parent"))
PartyMemberViews = viewset(m.PartyMember, tables.PartyMemberTable, f.PartyMemberFilterSet,
                           forms.PartyMemberForm, detail_view=PartyMemberDetailView,
                           create_view=prefilled("org"),
                           queryset=lambda: m.PartyMember.objects.select_related("org"))
MemberPostViews = viewset(m.MemberPost, tables.MemberPostTable, f.MemberPostFilterSet,
                          forms.MemberPostForm, create_view=prefilled("member"))
ResponsibilityZoneViews = viewset(m.ResponsibilityZone, tables.ResponsibilityZoneTable,
                                  f.ResponsibilityZoneFilterSet, forms.ResponsibilityZoneForm,
                                  create_view=prefilled("member"))
CommitmentViews = viewset(m.Commitment, tables.CommitmentTable, f.CommitmentFilterSet,
                          forms.CommitmentForm, create_view=prefilled("member"))
# Transfers, positions, elections and candidates change only through actions.py.
TransferViews = viewset(m.Transfer, tables.TransferTable, f.TransferFilterSet, read_only=True,
                        detail_view=TransferDetailView)
ServiceStationViews = viewset(m.ServiceStation, tables.ServiceStationTable,
                              f.ServiceStationFilterSet, forms.ServiceStationForm,
                              detail_view=ServiceStationDetailView)
StationServiceViews = viewset(m.StationService, tables.StationServiceTable,
                              f.StationServiceFilterSet, forms.StationServiceForm,
                              create_view=prefilled("station"))
MobileMembershipViews = viewset(m.MobileMembership, tables.MobileMembershipTable,
                                f.MobileMembershipFilterSet, read_only=True)
CareVisitViews = viewset(m.CareVisit, tables.CareVisitTable, f.CareVisitFilterSet,
                         forms.CareVisitForm, create_view=prefilled("member"))
OrgMeetingViews = viewset(m.OrgMeeting, tables.OrgMeetingTable, f.OrgMeetingFilterSet,
                          forms.OrgMeetingForm, create_view=prefilled("org"))
CommitteeViews = viewset(m.Committee, tables.CommitteeTable, f.CommitteeFilterSet,
                         forms.CommitteeForm)
CadreViews = viewset(m.Cadre, tables.CadreTable, f.CadreFilterSet, forms.CadreForm,
                     detail_view=CadreDetailView)
CadrePositionViews = viewset(m.CadrePosition, tables.CadrePositionTable,
                             f.CadrePositionFilterSet, read_only=True)
CadreCareerViews = viewset(m.CadreCareer, tables.CadreCareerTable, f.CadreCareerFilterSet,
                           forms.CadreCareerForm, create_view=prefilled("cadre"))
CadreWelfareViews = viewset(m.CadreWelfare, tables.CadreWelfareTable, f.CadreWelfareFilterSet,
                            forms.CadreWelfareForm, create_view=prefilled("cadre"))
ElectionViews = viewset(m.Election, tables.ElectionTable, f.ElectionFilterSet, read_only=True,
                        detail_view=ElectionDetailView)
CandidateViews = viewset(m.Candidate, tables.CandidateTable, f.CandidateFilterSet,
                         read_only=True)


class AdvanceStageView(ObjectActionView):
    model = m.PartyMember
    action = "change"
    form_class = forms.AdvanceStageForm
    success_message = _("The stage was recorded.")

    @property
    def title(self):
        stage = rules.next_stage(self.object)
        return _("Advance to: %(stage)s") % {"stage": m.c.Stage(stage).label} if stage else \
            _("No further stage")

    def perform(self, member, form):
        stage = rules.next_stage(member)
        if stage is None:
            raise actions.ActionRefused(_("This member is already a full member."))
        actions.advance_stage(member, stage, user=self.request.user, on=form.cleaned_data["on"])


class IssueTransferView(ObjectActionView):
    model = m.PartyMember
    action = "change"
    form_class = forms.IssueTransferForm
    title = _("Issue a membership transfer")
    success_message = _("The transfer was issued; the receiving organization accepts it.")

    def perform(self, member, form):
        d = form.cleaned_data
        self.transfer = actions.issue_transfer(member, d["to_org"], user=self.request.user,
                                               on=d["on"], note=d["note"])

    def get_success_url(self):
        return self.transfer.get_absolute_url()


class AcceptTransferView(ObjectActionView):
    model = m.Transfer
    action = "change"
    form_class = forms.AcceptTransferForm
    title = _("Accept the transfer")
    success_message = _("The transfer was accepted; the member now belongs here.")

    def perform(self, transfer, form):
        actions.accept_transfer(transfer, user=self.request.user, on=form.cleaned_data["on"])


class ReturnTransferView(ObjectActionView):
    model = m.Transfer
    action = "change"
    form_class = forms.ReasonForm
    title = _("Return the transfer")
    success_message = _("The transfer was returned.")

    def perform(self, transfer, form):
        actions.return_transfer(transfer, user=self.request.user,
                                reason=form.cleaned_data["reason"])


class RecordMobilityView(ObjectActionView):
    model = m.PartyMember
    action = "change"
    form_class = forms.MobilityForm
    title = _("Record working away")
    success_message = _("Recorded.")

    def perform(self, member, form):
        d = form.cleaned_data
        result = actions.record_mobility(member, user=self.request.user,
                                         away_since=d["away_since"], location=d["location"],
                                         reason=d["reason"], station=d["station"],
                                         contact=d["contact"])
        if result.transfer_suggested:
            from django.contrib import messages

            messages.warning(self.request, _("Away six months or more: transfer the membership "
                                             "to a branch where the member lives."))


class RecordContactView(ObjectActionView):
    model = m.MobileMembership
    action = "change"
    form_class = forms.ContactForm
    title = _("Record a contact")
    success_message = _("Recorded.")

    def perform(self, membership, form):
        actions.record_contact(membership, user=self.request.user, on=form.cleaned_data["on"])


class RecordReturnView(RecordContactView):
    title = _("Record the return")

    def perform(self, membership, form):
        actions.record_return(membership, user=self.request.user, on=form.cleaned_data["on"])


class RecordMeetingView(NextMixin, ObjectActionView):
    model = m.PartyOrg
    action = "view"  # the org must be visible; record_meeting checks the add permission
    form_class = forms.MeetingForm
    title = _("Record a meeting")
    success_message = _("The meeting was recorded.")

    def perform(self, org, form):
        actions.record_meeting(org, user=self.request.user, **form.cleaned_data)


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last three complete months: what a check of organization life looks at."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = rules.add_months(end.replace(day=1), -2)
    return start, end


# Lists of single organizations and cadres are shown from this level down (a township has a
# few dozen villages); above it a page compares the child regions, whose names drill down.
LIST_LEVEL = Level.TOWNSHIP


class RegionPeriodForm(djforms.Form):
    """A region chosen by name among the current region's ancestors (within the user's scope)
    and children, and a period. The codes travel in the query string, never typed."""

    region = djforms.ChoiceField(label=_("region"), required=False)
    start = djforms.DateField(label=_("from"), required=False, widget=DateInput())
    end = djforms.DateField(label=_("to"), required=False, widget=DateInput())

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = choices


class RegionPeriodMixin:
    """A region inside the user's scope and a period, from the query string."""

    period = True  # the page offers a period

    def scope_region(self) -> Region | None:
        own = scope_code(self.request.user)
        if own:
            return Region._base_manager.filter(code=own).first()
        tops = list(Region._base_manager.filter(level=Level.PROVINCE).order_by("code")[:2])
        return tops[0] if len(tops) == 1 else None  # a superuser without a scope: the province

    def region_and_period(self):
        top = self.scope_region()
        own = top.code if top else scope_code(self.request.user)
        default_start, default_end = default_period(timezone.localdate())
        wanted = (self.request.GET.get("region") or "").strip()
        region = top
        if wanted and is_valid_code(wanted) and is_within(wanted, own):
            region = Region._base_manager.filter(code=wanted).first() or top
        form = RegionPeriodForm(self.request.GET or None, choices=self.region_choices(top, region),
                                initial={"region": region.code if region else "",
                                         "start": default_start, "end": default_end})
        start, end = default_start, default_end
        if form.is_valid():
            start = form.cleaned_data.get("start") or start
            end = form.cleaned_data.get("end") or end
        if not self.period:
            del form.fields["start"], form.fields["end"]
        if end < start:
            start, end = end, start
        return form, region, start, end

    @staticmethod
    def region_choices(top: Region | None, region: Region | None) -> list[tuple[str, str]]:
        """The way up to the user's own region, the region itself and its children, by name."""
        if region is None:
            return []
        path = [code for code in ancestor_codes(region.code)[:-1]
                if top is None or is_within(code, top.code)]
        names = dict(Region._base_manager.filter(code__in=path).values_list("code", "name"))
        choices = [(code, "\u2003" * n + names.get(code, code)) for n, code in enumerate(path)]
        choices.append((region.code, "\u2003" * len(path) + region.name))
        depth = "\u2003" * (len(path) + 1)
        choices += [(code, depth + name) for code, name in Region._base_manager.filter(
            parent_id=region.code).order_by("code").values_list("code", "name")]
        return choices

    def child_link(self, code: str) -> str:
        query = self.request.GET.copy()
        query["region"] = code
        return f"{self.request.path}?{query.urlencode()}"

    def region_context(self, region: Region | None) -> dict:
        return {"region": region, "listed": region is not None and region.level >= LIST_LEVEL}


class ShortfallView(RegionPeriodMixin, AccessMixin, generic.TemplateView):
    """Branches that fall short of the required frequency of organization life (三会一课).

    Above a township the page compares the child regions: in the default period from the
    rollups (a panel that fupin.analytics adds), in another period counted here from a county
    down; the organizations themselves are listed from a township down."""

    model = m.PartyOrg
    template_name = "party/shortfalls.html"
    limit = 300

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form, region, start, end = self.region_and_period()
        ctx.update(self.region_context(region), form=form, start=start, end=end)
        if region is None:
            return ctx
        user = self.request.user
        orgs = restrict(m.PartyOrg.objects.all(), user, "view").filter(within(region.code))
        if ctx["listed"]:
            orgs = orgs.filter(kind__in=["branch", "general_branch", "group"],
                               dissolved_on__isnull=True).order_by("region_code", "name")
            rows = rules.meeting_shortfalls(orgs, start, end)
            short = [r for r in rows if r.short]
            names = dict(Region._base_manager.filter(
                code__in={r.org.region_code for r in short}).values_list("code", "name"))
            for row in short:
                row.region_name = names.get(row.org.region_code, "")
            ctx.update(checked=len(rows), short=short[: self.limit], short_count=len(short))
            return ctx
        subject = {"region": region.code, "start": start, "end": end, "link": self.child_link}
        ctx["panels"] = panels.for_page("shortfalls", subject, user)
        if not ctx["panels"] and region.level >= Level.COUNTY:
            counts = rules.meeting_compliance(orgs, start, end)
            ctx["children"] = self.children(region, counts)
        return ctx

    def children(self, region: Region, counts: dict[str, list[int]]) -> list[dict]:
        totals: dict[str, tuple[int, int]] = {}
        for code, (required, meeting) in counts.items():
            if level_of(code) > region.level:
                key = ancestor_at(code, region.level + 1)
                r, mt = totals.get(key, (0, 0))
                totals[key] = (r + required, mt + meeting)
        rows = []
        for child in Region._base_manager.filter(parent_id=region.code).order_by("code"):
            required, meeting = totals.get(child.code, (0, 0))
            rows.append({"region": child, "link": self.child_link(child.code),
                         "required": required, "short": required - meeting})
        return rows


class CadreDerivedView(RegionPeriodMixin, AccessMixin, generic.TemplateView):
    """一肩挑, cross-membership and college graduates, derived from the positions: figures per
    child region from the rollups (a panel of fupin.analytics), the cadres listed from a
    township down."""

    model = m.CadrePosition
    template_name = "party/cadre_derived.html"
    period = False
    limit = 300

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form, region, _start, _end = self.region_and_period()
        ctx.update(self.region_context(region), form=form)
        if region is None:
            return ctx
        user = self.request.user
        ctx["panels"] = panels.for_page("cadre_figures", {"region": region.code,
                                                          "link": self.child_link}, user)
        if ctx["listed"] or not ctx["panels"]:
            # Bounded from a township down; without the analytics app, counted here.
            positions = restrict(m.CadrePosition.objects.all(), user, "view").filter(
                within(region.code))
            cross = rules.cross_members(positions)
            one = [row for row in cross if row.is_one_shoulder]
            graduates = rules.college_graduate_villages(positions)
            names = dict(Region._base_manager.filter(
                code__in={r.region_code for r in cross[: self.limit]}).values_list("code", "name"))
            for row in cross[: self.limit]:
                row.region_name = names.get(row.region_code, "")
            ctx.update(counted=True, cross=cross[: self.limit], cross_count=len(cross),
                       one_shoulder_count=len({r.region_code for r in one}),
                       graduate_villages=len(graduates),
                       villages=len(rules.committee_villages(positions)))
        return ctx


class UncontactedView(AccessMixin, generic.TemplateView):
    model = m.MobileMembership
    template_name = "party/uncontacted.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            days = max(1, int(self.request.GET.get("days", "")))
        except ValueError:
            days = None
        visible = restrict(m.MobileMembership.objects.all(), self.request.user, "view")
        rows = rules.uncontacted_mobile_members(visible, days)
        ctx.update(rows=rows[:500], count=rows.count(),
                   days=days or rules.params.get(rules.MOBILE_CONTACT_DAYS))
        return ctx


# --- elections (两推一选): one page per step, each running one action --------------------------------
class OpenElectionView(ObjectActionView):
    model = m.PartyOrg
    action = "view"  # open_election checks the permission to add an election
    form_class = forms.OpenElectionForm
    title = _("Open an election (两推一选)")
    success_message = _("The election is open for nominations.")

    def perform(self, org, form):
        self.election = actions.open_election(org, user=self.request.user,
                                              **form.cleaned_data)

    def get_success_url(self):
        return self.election.get_absolute_url()


class ElectionStepView(ObjectActionView):
    model = m.Election
    action = "change"


class NominateView(ElectionStepView):
    form_class = forms.NominateForm
    title = _("Nominate")
    success_message = _("Nominated.")

    def perform(self, election, form):
        actions.nominate(election, form.cleaned_data["member"], user=self.request.user)


class RecommendView(ElectionStepView):
    form_class = forms.RecommendationForm
    title = _("Record the recommendation votes")
    success_message = _("The recommendation votes were recorded.")

    def perform(self, election, form):
        actions.record_recommendations(election, user=self.request.user, votes=form.votes(),
                                       public_voters=form.cleaned_data["public_voters"])


class ShortlistView(ElectionStepView):
    form_class = forms.ShortlistForm
    title = _("Draw the shortlist")
    success_message = _("The shortlist was drawn.")

    def perform(self, election, form):
        actions.shortlist(election, user=self.request.user)


class BallotView(ElectionStepView):
    form_class = forms.BallotForm
    title = _("Record the election")
    success_message = _("The election was recorded.")

    def perform(self, election, form):
        actions.record_ballots(election, user=self.request.user,
                               members_present=form.cleaned_data["members_present"],
                               votes=form.votes(), posts=form.posts(),
                               on=form.cleaned_data["held_on"])


class CloseElectionView(ElectionStepView):
    form_class = forms.CloseElectionForm
    title = _("Write the result into the committee")
    success_message = _("The new committee and its positions were recorded.")

    def perform(self, election, form):
        actions.close_election(election, user=self.request.user, on=form.cleaned_data["on"])
