"""Pages of the assistance mechanisms: the generic pages of every record (ViewSet), the action
pages (pair a helper, end a pairing, log a visit, record presence, mark a measure done), the
coverage-gap page (一级抓一级), and the panels this app adds to the region and household pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import generic

from fupin.assistance import actions, forms, rules, tables
from fupin.assistance import choices as c
from fupin.assistance import filtersets as f
from fupin.assistance import models as m
from fupin.core import params
from fupin.core.policy import can, is_visible, restrict, scope_code
from fupin.core.views import (
    AccessMixin,
    NextMixin,
    ObjectActionView,
    Related,
    RelatedDetailView,
    add_url,
    prefilled,
    safe_next,
    viewset,
)
from fupin.poverty.models import Household
from fupin.regions import services
from fupin.regions.models import Region
from fupin.regions.scope import is_within, level_of, parent_code


# --- detail pages ------------------------------------------------------------------------------
class WorkTeamDetailView(RelatedDetailView):
    template_name = "assistance/workteam_detail.html"
    related = (
        Related(m.WorkTeamMember, "team", table=tables.TeamMemberTable, title=_lazy("Members")),
        Related(m.WorkLogEntry, "team", table=tables.WorkLogEntryTable, title=_lazy("Work log"),
                limit=10),
        Related(m.WorkTeamMember, name="current_members", where=lambda team: Q(
            team=team) & m.WorkTeamMember.current_q(timezone.localdate())),
        Related(m.Presence, name="presence", where=lambda team: Q(
            team_member__team=team, month=rules.last_month(timezone.localdate()))),
    )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        team, today = self.object, timezone.localdate()
        members = ctx["related"]["current_members"].count()
        term = rules.team_term_days(team)
        minimum_members = int(params.get(rules.TEAM_MIN_MEMBERS))
        minimum_term = int(params.get(rules.TEAM_MIN_TERM_DAYS))
        month = rules.last_month(today)
        ctx.update(current_members=members, minimum_members=minimum_members,
                   term_days=term, minimum_term=minimum_term,
                   short_of_members=team.is_current(today) and members < minimum_members,
                   short_term=term is not None and term < minimum_term, month=month)
        section = next((s for s in ctx["sections"] if s["name"] == "workteammember"), None)
        if section is not None:
            table = section["table"]
            table.presence_days = dict(ctx["related"]["presence"].values_list(
                "team_member_id", "days"))
            table.minimum_days = int(params.get(rules.PRESENCE_MIN_DAYS))
            table.can_record = is_visible(team, self.request.user, "change") and can(
                self.request.user, m.WorkTeamMember, "change")
        return ctx


class WorkTeamMemberDetailView(RelatedDetailView):
    related = (Related(m.Presence, "team_member", table=tables.PresenceTable,
                       title=_lazy("Presence"), limit=24),)

    def actions(self):
        if is_visible(self.object, self.request.user, "change"):
            return [{"label": _("Record presence"), "icon": "calendar-check",
                     "url": reverse("assistance:workteammember_presence",
                                    args=[self.object.pk])}]
        return []


class ContactPointDetailView(RelatedDetailView):
    related = (Related(m.ContactVisit, "contact_point", table=tables.ContactVisitTable,
                       title=_lazy("Visits to the contact point")),)


class PairingDetailView(RelatedDetailView):
    def actions(self):
        pairing, user = self.object, self.request.user
        buttons = []
        if is_visible(pairing.household, user):
            buttons.append({"label": _("Household"), "icon": "home",
                            "url": pairing.household.get_absolute_url(), "outline": True})
        if pairing.ends_on is None and is_visible(pairing, user, "change"):
            buttons.append({"label": _("End the pairing"), "icon": "link-off",
                            "url": reverse("assistance:pairing_end", args=[pairing.pk])})
        return buttons


class MeasureDetailView(RelatedDetailView):
    def actions(self):
        measure, user = self.object, self.request.user
        buttons = []
        if is_visible(measure.household, user):
            buttons.append({"label": _("Household"), "icon": "home",
                            "url": measure.household.get_absolute_url(), "outline": True})
        if measure.state not in (c.MeasureState.DONE, c.MeasureState.CANCELLED) \
                and is_visible(measure, user, "change"):
            buttons.append({"label": _("Mark done"), "icon": "circle-check",
                            "url": reverse("assistance:measure_done", args=[measure.pk])})
        return buttons


class VisitDetailView(RelatedDetailView):
    def actions(self):
        visit, user = self.object, self.request.user
        if visit.household_id and is_visible(visit.household, user):
            return [{"label": _("Household"), "icon": "home",
                     "url": visit.household.get_absolute_url(), "outline": True}]
        return []


class VillagePlanDetailView(RelatedDetailView):
    related = (Related(m.PlanFunding, "plan", table=tables.PlanFundingTable,
                       title=_lazy("Funding")),
               Related(m.PlanProject, "plan", table=tables.PlanProjectTable,
                       title=_lazy("Projects")))


class EnterpriseDetailView(RelatedDetailView):
    related = (Related(m.IndustryProject, "enterprise", table=tables.IndustryProjectTable,
                       title=_lazy("Industry projects")),)


class IndustryProjectDetailView(RelatedDetailView):
    related = (Related(m.IndustryBenefit, "project", table=tables.IndustryBenefitTable,
                       title=_lazy("Households that benefit")),
               Related(m.Measure, "project", table=tables.MeasureTable, title=_lazy("Measures")))


class ResettlementSiteDetailView(RelatedDetailView):
    related = (Related(m.Relocation, "site", table=tables.RelocationTable,
                       title=_lazy("Relocations")),)


class ChunhuiEnvoyDetailView(RelatedDetailView):
    related = (Related(m.ChunhuiContribution, "envoy", table=tables.ChunhuiContributionTable,
                       title=_lazy("Contributions")),)


# --- logging a visit ---------------------------------------------------------------------------
class RecordVisitView(AccessMixin, generic.FormView):
    """Log a visit (actions.record_visit), made for a phone. `?household=<id>` or
    `?region_code=<village>` prefill it (the household page and the coverage-gap page link
    here); a refusal is shown as a message."""

    model = m.Visit
    action = "add"
    template_name = "assistance/visit_record.html"

    def get_form_class(self):
        return forms.RecordVisitForm

    def get_initial(self):
        initial = super().get_initial()
        for name in ("household", "region_code"):
            value = self.request.GET.get(name, "").strip()
            if value:
                initial[name] = value
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cancel_url"] = safe_next(self.request) or reverse("assistance:visit_list")
        return ctx

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            visit = actions.record_visit(
                user=self.request.user, visited_on=d["visited_on"], findings=d["findings"],
                household=d.get("household"), region_code=d.get("region_code", ""),
                kind=d["kind"], help_given=d["help_given"], follow_up=d["follow_up"],
                visitor_name=d.get("visitor_name", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(self.request, _("The visit was recorded."))
        if visit.household_id and is_visible(visit.household, self.request.user):
            return HttpResponseRedirect(safe_next(self.request)
                                        or visit.household.get_absolute_url())
        return HttpResponseRedirect(safe_next(self.request) or visit.get_absolute_url())


# --- action pages ------------------------------------------------------------------------------
CURRENT_PAIRING = Related(m.Pairing, select_related=("helper",), where=lambda household: Q(
    household=household) & m.Pairing.current_q(timezone.localdate()))


class StartPairingView(NextMixin, ObjectActionView):
    model = Household
    action = "view"  # the household must be visible; start_pairing checks the add permission
    form_class = forms.StartPairingForm
    template_name = "assistance/pairing_start.html"
    title = _lazy("Pair a helper")
    success_message = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["current"] = CURRENT_PAIRING.rows(self.object, self.request.user).first()
        ctx["can_pair"] = can(self.request.user, m.Pairing, "add")
        ctx["load_limit"] = params.get(rules.HELPER_LOAD_LIMIT)
        return ctx

    def perform(self, household, form):
        d = form.cleaned_data
        result = actions.start_pairing(household, d["helper"], user=self.request.user,
                                       starts_on=d["starts_on"], helper_unit=d["helper_unit"],
                                       unit_level=d["unit_level"])
        for warning in result.warnings:
            messages.warning(self.request, warning)
        if result.ended is not None:
            messages.info(self.request, _("The pairing with %(helper)s ended on %(date)s.")
                          % {"helper": result.ended.helper, "date": result.ended.ends_on})
        self.success_message = _("%(helper)s is now the helper of household %(household)s.") \
            % {"helper": result.pairing.helper, "household": household.number}


class EndPairingView(NextMixin, ObjectActionView):
    model = m.Pairing
    action = "change"
    form_class = forms.EndPairingForm
    title = _lazy("End the pairing")
    success_message = _lazy("The pairing was ended.")

    def perform(self, pairing, form):
        actions.end_pairing(pairing, user=self.request.user, ends_on=form.cleaned_data["ends_on"],
                            reason=form.cleaned_data["reason"])

    def get_success_url(self):
        return safe_next(self.request) or self.object.household.get_absolute_url()


class RecordPresenceView(NextMixin, ObjectActionView):
    model = m.WorkTeamMember
    action = "change"  # the roles that keep team members are those that record presence
    form_class = forms.PresenceForm
    title = _lazy("Record presence")
    success_message = _lazy("The presence was recorded.")

    def perform(self, member, form):
        actions.record_presence(member, user=self.request.user,
                                month=form.cleaned_data["month"], days=form.cleaned_data["days"])

    def get_success_url(self):
        return safe_next(self.request) or self.object.team.get_absolute_url()


class FinishMeasureView(NextMixin, ObjectActionView):
    model = m.Measure
    action = "change"
    form_class = forms.FinishMeasureForm
    title = _lazy("Mark the measure done")
    success_message = _lazy("The measure was marked done.")

    def perform(self, measure, form):
        d = form.cleaned_data
        actions.finish_measure(measure, user=self.request.user, done_on=d["done_on"],
                               amount=d["amount"], effect=d["effect"])


# --- coverage gaps (一级抓一级) ------------------------------------------------------------------
REGION_CHILDREN = Related(Region, "parent", order_by=("code",))


class GapsView(AccessMixin, generic.TemplateView):
    """Coverage gaps of a region (一级抓一级): per child region and gap kind, how many teams,
    households, helpers and branches fall short, and for one kind the offending rows, each
    linked to where it is fixed. Every count goes through the policy (rules.gap_rows)."""

    # Each gap reads its own model through restrict(); a role sees the gaps of what it may see.
    access = "login"
    template_name = "assistance/gaps.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        region, today = services.requested_region(request), timezone.localdate()
        counts = rules.gap_counts(user, region.code, today)
        children = list(REGION_CHILDREN.rows(region, user))
        rows = []
        for child in children:
            cells = [entry["by_child"].get(child.code, 0) for entry in counts]
            rows.append({"region": child, "cells": cells, "total": sum(cells)})
        own = [entry["total"] - sum(entry["by_child"].get(ch.code, 0) for ch in children)
               for entry in counts]
        totals = [entry["total"] for entry in counts]
        parent = parent_code(region.code)
        ctx.update(region=region, path=region.path(), today=today, gaps=[e["gap"] for e in counts],
                   rows=rows, own=own if any(own) and children else None, totals=totals,
                   total=sum(totals),
                   parent=parent if parent and is_within(parent, scope_code(user)) else None)
        gap = rules.GAPS_BY_KEY.get(request.GET.get("gap", ""))
        if gap is not None:
            ctx.update(self.gap_page(gap, region, today))
        return ctx

    def gap_page(self, gap, region, today) -> dict:
        rows = rules.gap_rows(gap, self.request.user, region.code, today).order_by(
            gap.region_field, "pk")
        page = Paginator(rows, self.per_page).get_page(self.request.GET.get("page"))
        codes = {getattr(row, gap.region_field) for row in page.object_list}
        names = dict(restrict(Region.objects.filter(code__in=codes), self.request.user)
                     .values_list("code", "name"))
        items = [{"describe": gap.describe(row), "link": gap.link(row),
                  "region_code": getattr(row, gap.region_field),
                  "region_name": names.get(getattr(row, gap.region_field), "")}
                 for row in page.object_list]
        query = {"region": region.code, "gap": gap.key}
        return {"gap": gap, "page": page, "items": items, "page_query": urlencode(query)}


# --- panels on the region and household pages --------------------------------------------------
# The records this app shows on other apps' pages, read through the policy (core.views.Related).
HOUSEHOLD_PAIRINGS = Related(m.Pairing, "household", select_related=("helper",),
                             order_by=("-starts_on", "-id"))
HOUSEHOLD_VISITS = Related(m.Visit, "household", order_by=("-visited_on", "-id"))
HOUSEHOLD_MEASURES = Related(m.Measure, "household", select_related=("project",),
                             order_by=("-year", "kind"))
ORG_BRANCH_PAIRINGS = Related(m.BranchPairing,
                              where=lambda org: Q(village_org=org) | Q(helping_org=org),
                              select_related=("helping_org", "village_org"),
                              order_by=("-starts_on", "-id"))


def region_panel(region_code: str, user) -> dict | None:
    """The region page's panel: gap totals under the region, linked to the gap page. Counted
    over the records (a province's take a few hundred milliseconds), so the page loads it
    after itself (GapsPanelView) and stays fast."""
    if not getattr(user, "is_authenticated", False):
        return None
    return {"template": "assistance/_gaps_panel_lazy.html",
            "url": f"{reverse('assistance:gaps_panel')}?{urlencode({'region': region_code})}"}


class GapsPanelView(AccessMixin, generic.TemplateView):
    """The region page's gap panel, fetched by the page once it has loaded."""

    access = "login"
    template_name = "assistance/_gaps_panel.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        region = services.requested_region(self.request)
        counts = rules.gap_counts(self.request.user, region.code, timezone.localdate())
        ctx["panel"] = {"region_code": region.code,
                        "gaps": [(entry["gap"], entry["total"]) for entry in counts],
                        "total": sum(entry["total"] for entry in counts)}
        return ctx


def household_panel(household, user) -> dict | None:
    """The household page's assistance: the current helper and the pairing history, the
    visits (newest first), and the household's plan (一户一策: its measures)."""
    if not any(can(user, model, "view") for model in (m.Pairing, m.Visit, m.Measure)):
        return None
    today = timezone.localdate()
    page = household.get_absolute_url()
    pairings = list(HOUSEHOLD_PAIRINGS.rows(household, user))
    current = next((p for p in pairings if p.is_current(today)), None)
    visits = HOUSEHOLD_VISITS.rows(household, user)
    measures = list(HOUSEHOLD_MEASURES.rows(household, user))
    for measure in measures:
        measure.open = measure.state not in (c.MeasureState.DONE, c.MeasureState.CANCELLED)
    can_finish = can(user, m.Measure, "change") and is_visible(household, user)
    return {
        "template": "assistance/_household_panel.html",
        "needs_help": household.status in rules.helped_statuses(),
        "current": current,
        "pairings": pairings,
        "visits": list(visits[:10]),
        "visit_count": visits.count(),
        "visits_url": f"{reverse('assistance:visit_list')}?household={household.pk}",
        "measures": measures,
        "pair_url": (f"{reverse('assistance:household_pair', args=[household.pk])}?"
                     f"{urlencode({'next': page})}" if can(user, m.Pairing, "add") else None),
        "end_url": (f"{reverse('assistance:pairing_end', args=[current.pk])}?"
                    f"{urlencode({'next': page})}"
                    if current and is_visible(current, user, "change") else None),
        "visit_url": add_url(m.Visit, user, household=household.pk, next=page),
        "measure_url": add_url(m.Measure, user, household=household.pk, next=page),
        "can_finish": can_finish,
        "next": page,
    }





# --- the view sets -----------------------------------------------------------------------------
WorkTeamViews = viewset(m.WorkTeam, tables.WorkTeamTable, f.WorkTeamFilterSet, forms.WorkTeamForm,
                        detail_view=WorkTeamDetailView, create_view=prefilled("region_code"))
WorkTeamMemberViews = viewset(
    m.WorkTeamMember, tables.WorkTeamMemberTable, f.WorkTeamMemberFilterSet,
    forms.WorkTeamMemberForm, detail_view=WorkTeamMemberDetailView, create_view=prefilled("team"),
    queryset=lambda: m.WorkTeamMember.objects.select_related("team"))
# Presence is recorded through actions.record_presence (a team member's page); a wrong month
# can be deleted.
PresenceViews = viewset(m.Presence, tables.PresenceTable, f.PresenceFilterSet,
                        create_view=None, edit_view=None,
                        queryset=lambda: m.Presence.objects.select_related("team_member"))
WorkLogEntryViews = viewset(m.WorkLogEntry, tables.WorkLogEntryTable, f.WorkLogEntryFilterSet,
                            forms.WorkLogEntryForm, create_view=prefilled("team"),
                            queryset=lambda: m.WorkLogEntry.objects.select_related("team"))
ContactPointViews = viewset(m.ContactPoint, tables.ContactPointTable, f.ContactPointFilterSet,
                            forms.ContactPointForm, detail_view=ContactPointDetailView,
                            create_view=prefilled("region_code"))
ContactVisitViews = viewset(m.ContactVisit, tables.ContactVisitTable, f.ContactVisitFilterSet,
                            forms.ContactVisitForm, create_view=prefilled("contact_point"),
                            queryset=lambda: m.ContactVisit.objects.select_related(
                                "contact_point"))
BranchPairingViews = viewset(m.BranchPairing, tables.BranchPairingTable,
                             f.BranchPairingFilterSet, forms.BranchPairingForm,
                             create_view=prefilled("village_org", "helping_org"),
                             queryset=lambda: m.BranchPairing.objects.select_related(
                                 "village_org", "helping_org"))
# Household pairings change only through actions (pair a helper, end the pairing).
PairingViews = viewset(m.Pairing, tables.PairingTable, f.PairingFilterSet, read_only=True,
                       detail_view=PairingDetailView,
                       queryset=lambda: m.Pairing.objects.select_related("household", "helper"))
# A visit is logged through actions.record_visit; what was found can be corrected afterwards.
VisitViews = viewset(m.Visit, tables.VisitTable, f.VisitFilterSet, forms.VisitForm,
                     create_view=RecordVisitView, detail_view=VisitDetailView,
                     queryset=lambda: m.Visit.objects.select_related("household"))
MeasureViews = viewset(m.Measure, tables.MeasureTable, f.MeasureFilterSet, forms.MeasureForm,
                       detail_view=MeasureDetailView, create_view=prefilled("household",
                                                                            "project"),
                       queryset=lambda: m.Measure.objects.select_related("household"))
VillagePlanViews = viewset(m.VillagePlan, tables.VillagePlanTable, f.VillagePlanFilterSet,
                           forms.VillagePlanForm, detail_view=VillagePlanDetailView,
                           create_view=prefilled("region_code"))
PlanFundingViews = viewset(m.PlanFunding, tables.PlanFundingTable, f.PlanFundingFilterSet,
                           forms.PlanFundingForm, create_view=prefilled("plan"),
                           queryset=lambda: m.PlanFunding.objects.select_related("plan"))
PlanProjectViews = viewset(m.PlanProject, tables.PlanProjectTable, f.PlanProjectFilterSet,
                           forms.PlanProjectForm, create_view=prefilled("plan"),
                           queryset=lambda: m.PlanProject.objects.select_related("plan"))
EnterpriseViews = viewset(m.Enterprise, tables.EnterpriseTable, f.EnterpriseFilterSet,
                          forms.EnterpriseForm, detail_view=EnterpriseDetailView,
                          create_view=prefilled("region_code"))
IndustryProjectViews = viewset(
    m.IndustryProject, tables.IndustryProjectTable, f.IndustryProjectFilterSet,
    forms.IndustryProjectForm, detail_view=IndustryProjectDetailView,
    create_view=prefilled("enterprise", "region_code"),
    queryset=lambda: m.IndustryProject.objects.select_related("enterprise"))
IndustryBenefitViews = viewset(
    m.IndustryBenefit, tables.IndustryBenefitTable, f.IndustryBenefitFilterSet,
    forms.IndustryBenefitForm, create_view=prefilled("project", "household"),
    queryset=lambda: m.IndustryBenefit.objects.select_related("project", "household"))
ResettlementSiteViews = viewset(m.ResettlementSite, tables.ResettlementSiteTable,
                                f.ResettlementSiteFilterSet, forms.ResettlementSiteForm,
                                detail_view=ResettlementSiteDetailView,
                                create_view=prefilled("region_code"))
RelocationViews = viewset(m.Relocation, tables.RelocationTable, f.RelocationFilterSet,
                          forms.RelocationForm, create_view=prefilled("household", "site"),
                          queryset=lambda: m.Relocation.objects.select_related("household",
                                                                                "site"))
ChunhuiEnvoyViews = viewset(m.ChunhuiEnvoy, tables.ChunhuiEnvoyTable, f.ChunhuiEnvoyFilterSet,
                            forms.ChunhuiEnvoyForm, detail_view=ChunhuiEnvoyDetailView,
                            create_view=prefilled("region_code"))
ChunhuiContributionViews = viewset(
    m.ChunhuiContribution, tables.ChunhuiContributionTable, f.ChunhuiContributionFilterSet,
    forms.ChunhuiContributionForm, create_view=prefilled("envoy"),
    queryset=lambda: m.ChunhuiContribution.objects.select_related("envoy"))


def org_panel(org, user) -> dict | None:
    """The party organization page's branch pairings (万个支部结对), on either side."""
    if not can(user, m.BranchPairing, "view"):
        return None
    rows = list(ORG_BRANCH_PAIRINGS.rows(org, user)[:20])
    add = None
    # Branch pairings are made for village branches (万个支部结对 pairs a village with a helper).
    if can(user, m.BranchPairing, "add") and level_of(org.region_code) == 5:
        add = f"{reverse('assistance:branchpairing_add')}?village_org={org.pk}"
    return {"template": "assistance/_org_panel.html", "pairings": rows, "org": org,
            "add_url": add, "today": timezone.localdate()}
