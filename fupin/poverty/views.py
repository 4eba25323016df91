from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import generic

from fupin.core.policy import can
from fupin.core.views import (
    AccessMixin,
    ObjectActionView,
    ObjectDetailView,
    Related,
    RelatedDetailView,
    RestrictedPrefetch,
    ViewSet,
    prefilled,
)
from fupin.poverty import actions, forms, tables, workflows
from fupin.poverty import filtersets as f
from fupin.poverty.choices import PovertyCause
from fupin.poverty.models import (
    CrosscheckLead,
    Household,
    IncomeRecord,
    Person,
    PovertyLine,
    Procedure,
    ProcedureStep,
    VillageProfile,
)
from fupin.regions import services
from fupin.regions.models import Region


class HouseholdDetailView(RelatedDetailView):
    """Members, incomes by year (chart and table), basic needs, procedures and history."""

    template_name = "poverty/household_detail.html"
    related = (Related(Person, "household"),
               Related(IncomeRecord, "household", order_by=("year",)),
               Related(Procedure, "household"))
    detail_fields = ["number", "head_name", "region_code", "status", "monitored_group",
                     "attribute", "standard", "identification_year", "main_cause",
                     "secondary_causes", "members_count", "income_per_capita", "exit_year",
                     "housing_area", "housing_structure", "housing_year", "housing_safe",
                     "relocated", "phone", "bank_account"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        household, user = self.object, self.request.user
        related = ctx["related"]
        members = tables.PersonTable(related["person"], exclude=("household", "region_code"),
                                     orderable=False)
        members.viewer = user
        from fupin.core.views import log_personal_access

        log_personal_access(self.request, Person, None, "page", count=len(members.rows))
        incomes = list(related["incomerecord"])
        lines = {r.year: PovertyLine.for_year(r.year) for r in incomes}
        line_values = {y: (line.poverty_line if line else None) for y, line in lines.items()}
        ctx.update(
            members=members,
            incomes=incomes,
            income_lines=sorted(line_values.items()),
            income_chart_spec={
                "kind": "line", "unit": str(_("yuan")),
                "categories": [r.year for r in incomes],
                "series": [
                    {"name": str(_("net income per capita")), "type": "bar",
                     "data": [float(r.per_capita) for r in incomes]},
                    {"name": str(_("poverty line")), "step": "middle",
                     "data": [float(v) if v is not None else None
                              for v in (line_values[r.year] for r in incomes)]},
                ],
            },
            basic_needs=[(household._meta.get_field(name).verbose_name, getattr(household, name))
                         for name in Household.BASIC_NEEDS],
            procedures=related["procedure"].prefetch_related(RestrictedPrefetch(
                "steps", user, ProcedureStep.objects.select_related("taken_by").order_by(
                    "taken_on", "id"))),
            can_add_person=can(user, Person, "add"),
            # What apps above poverty add (fupin.assistance: helper, visits, household plan).
            household_panels=ctx["panels"],
        )
        for procedure in ctx["procedures"]:
            for step in procedure.steps.all():
                step.label = workflows.step_label(procedure.kind, step.step)
        self._shown_fields(ctx)
        return ctx

    def _shown_fields(self, ctx):
        household = self.object
        causes = dict(PovertyCause.choices)
        # The names from the province down to the village are shown whatever the scope: a
        # region's name is no record of anyone's.
        region = Region._base_manager.filter(code=household.region_code).first()
        shown = {
            Household._meta.get_field("secondary_causes").verbose_name:
                "、".join(str(causes.get(code, code)) for code in household.secondary_causes)
                or None,
            Household._meta.get_field("region_code").verbose_name:
                region.path() if region else household.region_code,
        }
        ctx["fields"] = [(label, shown.get(label, value)) for label, value in ctx["fields"]]



class HouseholdViews(ViewSet):
    model = Household
    table = tables.HouseholdTable
    filterset = f.HouseholdFilterSet
    form = forms.HouseholdForm
    detail_view = HouseholdDetailView


class PersonViews(ViewSet):
    model = Person
    table = tables.PersonTable
    filterset = f.PersonFilterSet
    form = forms.PersonForm
    create_view = prefilled("household")  # "Add member" on the household page
    queryset = staticmethod(lambda: Person.objects.select_related("household"))


class VillageProfileViews(ViewSet):
    model = VillageProfile
    table = tables.VillageProfileTable
    filterset = f.VillageProfileFilterSet
    form = forms.VillageProfileForm


class PovertyLineViews(ViewSet):
    model = PovertyLine
    table = tables.PovertyLineTable
    form = forms.PovertyLineForm
    filterset = None


class IncomeRecordViews(ViewSet):
    model = IncomeRecord
    table = tables.IncomeRecordTable
    queryset = staticmethod(lambda: IncomeRecord.objects.select_related("household"))
    create_view = edit_view = delete_view = None  # incomes are recorded by actions.record_income


class CrosscheckLeadViews(ViewSet):
    model = CrosscheckLead
    table = tables.CrosscheckLeadTable
    filterset = f.CrosscheckLeadFilterSet
    queryset = staticmethod(lambda: CrosscheckLead.objects.select_related("person"))
    create_view = edit_view = delete_view = None  # leads come from `fupin crosscheck`


PROCEDURE_STEPS = Related(ProcedureStep, "procedure", select_related=("taken_by",))


class ProcedureDetailView(ObjectDetailView):
    """The procedure's timeline, its criteria, and the form for the next step."""

    template_name = "poverty/procedure_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        procedure, user = self.object, self.request.user
        flow = workflows.workflow(procedure.kind)
        taken = {s.step: s for s in PROCEDURE_STEPS.rows(procedure, user)}
        nxt = workflows.next_step(procedure) if procedure.state == "open" else None
        ctx.update(
            household=procedure.household,
            timeline=[{"step": s, "taken": taken.get(s.code)} for s in flow.steps],
            rejected=taken.get(workflows.REJECTED_STEP),
            next_step=nxt,
            refusal=actions.refusal_for(user, procedure.kind, nxt) if nxt else None,
            step_form=forms.TakeStepForm(obj=procedure, user=user, step=nxt) if nxt else None,
            criteria=workflows.procedure_criteria(procedure),
            notice_steps=[s for s in flow.notice_steps() if s.code in taken or s == nxt],
        )
        return ctx


class ProcedureViews(ViewSet):
    model = Procedure
    table = tables.ProcedureTable
    filterset = f.ProcedureFilterSet
    detail_view = ProcedureDetailView
    queryset = staticmethod(lambda: Procedure.objects.select_related("household"))
    create_view = edit_view = delete_view = None  # procedures move only by actions


class StartProcedureView(ObjectActionView):
    model = Household
    action = "change"
    form_class = forms.StartProcedureForm
    title = _lazy("Start a procedure")
    success_message = _lazy("The procedure was started.")

    def perform(self, household, form):
        d = form.cleaned_data
        self.procedure = actions.start_procedure(
            household, d["kind"], user=self.request.user, on=d["on"],
            lead_source=d["lead_source"] or None, monitored_group=d["monitored_group"] or None,
            note=d["note"])

    def get_success_url(self):
        return self.procedure.get_absolute_url()


class TakeStepView(ObjectActionView):
    model = Procedure
    action = "change"
    form_class = forms.TakeStepForm
    success_message = _lazy("The step was recorded.")

    @property
    def title(self):
        step = workflows.next_step(self.object)
        return step.label if step else _("Take the next step")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "step": workflows.next_step(self.object)}

    def perform(self, procedure, form):
        step = workflows.next_step(procedure)
        if step is None:
            from fupin.poverty.actions import ActionRefused

            raise ActionRefused(_("This procedure has no step left to take."))
        d = form.cleaned_data
        data = {key: True for key in ("signed", "consent") if d.get(key)}
        actions.take_step(procedure, step.code, user=self.request.user, on=d["on"],
                          note=d["note"], data=data)


class RejectProcedureView(ObjectActionView):
    model = Procedure
    action = "change"
    form_class = forms.RejectForm
    title = _lazy("Reject")
    success_message = _lazy("The procedure was closed as rejected.")

    def perform(self, procedure, form):
        actions.reject_procedure(procedure, user=self.request.user,
                                 reason=form.cleaned_data["reason"])


class RecordIncomeView(ObjectActionView):
    model = Household
    action = "change"
    form_class = forms.IncomeForm
    title = _lazy("Record income")
    success_message = _lazy("The income was recorded.")

    def perform(self, household, form):
        d = form.cleaned_data
        actions.record_income(household, d["year"], user=self.request.user, wages=d["wages"],
                              business=d["business"], transfers=d["transfers"],
                              property_income=d["property_income"],
                              production_costs=d["production_costs"], members=d["members"])


class ReviewLeadView(ObjectActionView):
    model = CrosscheckLead
    action = "change"
    form_class = forms.LeadReviewForm
    title = _lazy("Review the lead")
    success_message = _lazy("The review was recorded.")

    def perform(self, lead, form):
        actions.review_lead(lead, user=self.request.user,
                            confirmed=form.cleaned_data["decision"] == "confirmed",
                            reason=form.cleaned_data["reason"])


class OverduePanelView(AccessMixin, generic.TemplateView):
    """The region page's overdue-procedures panel, fetched by the page once it has loaded;
    empty when nothing under the region is overdue."""

    access = "login"
    template_name = "poverty/_overdue_panel.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        region = services.requested_region(self.request)
        ctx["panel"] = workflows.region_panel(region.code, self.request.user)
        return ctx
