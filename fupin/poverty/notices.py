"""Public notices (公示) and announcements (公告) printed from a procedure's steps: a page for
the browser's print and a PDF.

A notice shows what the village needs to see: village, household number, head's and members'
names, attribute, cause, the decision, the notice period and the issuing body. It never shows
ID numbers, phones, bank accounts or health status: those values are never even read here.

URLs carry only the procedure's pk; the notice is chosen with `?step=<code>` (default: the
latest notice posted, else the first one as a draft to print before posting).

The PDF is drawn by `fupin.core.pdf` (fpdf2 in a Chinese font found on the server). Without one
the user is sent back to the page with a message saying what to install.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import generic

from fupin.core import params
from fupin.core.pdf import FAMILY, PdfUnavailable, cjk_pdf
from fupin.core.policy import restrict
from fupin.core.views import AccessMixin
from fupin.poverty import workflows as wf
from fupin.poverty.choices import PovertyStatus, ProcedureKind, Relation
from fupin.poverty.models import Person, Procedure, ProcedureStep
from fupin.regions.models import Level, Region
from fupin.regions.scope import ancestor_codes


@dataclass
class Notice:
    procedure: Procedure
    step: wf.Step
    row: ProcedureStep | None  # None: not posted yet (a draft)
    heading: str  # 公示 / 公告
    title: str
    intro: str
    issuer: str
    issued_on: datetime.date
    start: datetime.date | None = None
    end: datetime.date | None = None
    days: int = 0
    fields: list[tuple[str, str]] = field(default_factory=list)
    others: list[tuple[wf.Step, bool]] = field(default_factory=list)  # the procedure's notices

    @property
    def draft(self) -> bool:
        return self.row is None

    @property
    def is_publicity(self) -> bool:
        return self.step.notice == wf.PUBLICITY


def _d(value: datetime.date) -> str:
    return date_format(value, "Y-m-d")


def _joined(names: list[str]) -> str:
    return ("、" if (get_language() or "").startswith("zh") else ", ").join(names)


def _issuer(step: wf.Step, names: dict[int, str]) -> str:
    if step.level == Level.VILLAGE:
        village = names.get(Level.VILLAGE, "")
        # Village names in the statistical codes mostly end in 村委会 / 居委会 already.
        if village.endswith(("委会", "委员会")):
            return village
        return _("%(village)s villagers' committee") % {"village": village}
    if step.level == Level.TOWNSHIP:
        return _("%(township)s people's government") % {"township": names.get(Level.TOWNSHIP, "")}
    return _("%(county)s poverty alleviation and development office") % {
        "county": names.get(Level.COUNTY, "")}


def _decision(procedure: Procedure, step: wf.Step, row: ProcedureStep | None) -> str:
    household = procedure.household
    data = row.data if row is not None and isinstance(row.data, dict) else {}
    if procedure.kind == ProcedureKind.IDENTIFICATION and step.notice == wf.ANNOUNCEMENT:
        low = data.get("status") == PovertyStatus.LOW_INCOME or (
            row is not None and household.status == PovertyStatus.LOW_INCOME)
        return _("identified as a low-income household") if low else str(step.decision)
    if procedure.kind == ProcedureKind.EXIT and step.notice == wf.ANNOUNCEMENT and data.get("year"):
        return _("%(decision)s in %(year)s") % {"decision": step.decision, "year": data["year"]}
    if procedure.kind == ProcedureKind.MONITORING and procedure.monitored_group:
        return _("%(decision)s, as: %(group)s") % {
            "decision": step.decision, "group": procedure.get_monitored_group_display()}
    return str(step.decision)


def _notice_days(flow: wf.Workflow, step: wf.Step) -> int:
    """How long a notice stays up: the wait of the step that follows it."""
    for later in flow.steps:
        if later.wait_after == step.code:
            return later.wait_days()
    return int(params.get(wf.NOTICE_DAYS))


def build_notice(procedure: Procedure, step_code: str | None, user,
                 today: datetime.date | None = None) -> Notice:
    """The notice of `step_code` (a notice step of the procedure's kind; default the latest
    posted, else the first). Raises Http404 for a step that posts no notice."""
    today = today or timezone.localdate()
    flow = wf.workflow(procedure.kind)
    if flow is None or not flow.notice_steps():
        raise Http404(_("This procedure has no public notices."))
    rows = {r.step: r for r in restrict(ProcedureStep.objects.filter(procedure=procedure), user,
                                        "view").order_by("taken_on", "id")}
    notices = flow.notice_steps()
    if step_code:
        step = flow.get(step_code)
        if step is None or not step.notice:
            raise Http404(_("“%(step)s” posts no public notice.") % {"step": step_code})
    else:
        posted = [s for s in notices if s.code in rows]
        step = posted[-1] if posted else notices[0]
    row = rows.get(step.code)
    household = procedure.household
    # The names of the village and the regions above it: public, and needed on the notice
    # even by a village user whose scope holds the village alone (as the breadcrumb does).
    regions = dict(Region._base_manager.filter(code__in=ancestor_codes(household.region_code))
                   .values_list("level", "name"))
    members = list(restrict(Person.objects.filter(household=household), user, "view")
                   .order_by("id").values_list("name", "relation"))
    members.sort(key=lambda m: m[1] != Relation.HEAD)  # the head first, then as registered
    issued_on = row.taken_on if row is not None else today
    issuer = _issuer(step, regions)
    notice = Notice(
        procedure=procedure, step=step, row=row,
        heading=_("Public notice") if step.notice == wf.PUBLICITY else _("Announcement"),
        title=capfirst(_("%(procedure)s: %(step)s") % {"procedure": flow.label,
                                                       "step": step.label}),
        intro="", issuer=issuer, issued_on=issued_on,
        others=[(s, s.code in rows) for s in notices])
    if notice.is_publicity:
        notice.days = _notice_days(flow, step)
        notice.start = issued_on
        notice.end = issued_on + datetime.timedelta(days=notice.days - 1)
        notice.intro = _(
            "Under the %(procedure)s procedure, the following is made public from %(start)s to "
            "%(end)s (%(days)s days). Anyone who objects may say so, in person or in writing, "
            "to the %(issuer)s during this period.") % {
            "procedure": flow.label, "start": _d(notice.start), "end": _d(notice.end),
            "days": notice.days, "issuer": issuer}
        period = _("%(start)s to %(end)s (%(days)s days)") % {
            "start": _d(notice.start), "end": _d(notice.end), "days": notice.days}
    else:
        notice.intro = _("Under the %(procedure)s procedure, after public notice without "
                         "objection, the following decision is announced.") % {
            "procedure": flow.label}
        period = _d(issued_on)
    village_path = " ".join(regions[lvl] for lvl in sorted(regions) if lvl > Level.PREFECTURE)

    def label(name: str) -> str:
        return capfirst(str(household._meta.get_field(name).verbose_name))

    notice.fields = [
        (_("Village"), village_path or household.region_code),
        (label("number"), household.number),
        (label("head_name"), household.head_name or "—"),
        (_("Members (%(count)s)") % {"count": len(members)},
         _joined([name for name, _rel in members]) or "—"),
        (label("attribute"), household.get_attribute_display()),
        (label("main_cause"), household.get_main_cause_display() or "—"),
        (_("Decision"), capfirst(_decision(procedure, step, row))),
        (_("Notice period") if notice.is_publicity else _("Date announced"), period),
    ]
    return notice


# --- PDF ---------------------------------------------------------------------------------------
def render_pdf(notice: Notice) -> bytes:
    """The notice as an A4 PDF, the font subset embedded."""
    from fpdf.enums import Align, WrapMode, XPos, YPos

    pdf = cjk_pdf("portrait", 20, title=f"{notice.heading} {notice.title}")
    pdf.add_page()
    new_line = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    pdf.set_font(FAMILY, size=24)
    pdf.cell(0, 14, notice.heading, align=Align.C, **new_line)
    pdf.set_font(FAMILY, size=13)
    pdf.multi_cell(0, 8, notice.title, align=Align.C, wrapmode=WrapMode.WORD, **new_line)
    if notice.draft:
        pdf.set_text_color(200, 30, 30)
        pdf.set_font(FAMILY, size=11)
        pdf.cell(0, 8, _("Draft: not posted yet"), align=Align.C, **new_line)
        pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font(FAMILY, size=11.5)
    pdf.multi_cell(0, 7.5, notice.intro, align=Align.L, wrapmode=WrapMode.WORD, **new_line)
    pdf.ln(4)
    with pdf.table(col_widths=(32, 88), first_row_as_headings=False, text_align="LEFT",
                   wrapmode=WrapMode.WORD, line_height=7.5, padding=2) as table:
        for label, value in notice.fields:
            row = table.row()
            row.cell(label)
            row.cell(value)
    pdf.ln(14)
    pdf.multi_cell(0, 8, notice.issuer, align=Align.R, wrapmode=WrapMode.WORD, **new_line)
    pdf.cell(0, 8, _d(notice.issued_on), align=Align.R, **new_line)
    return bytes(pdf.output())


# --- views -------------------------------------------------------------------------------------
class NoticeMixin(AccessMixin):
    model = Procedure
    action = "view"

    def base_queryset(self):
        return Procedure.objects.select_related("household")

    def get_notice(self) -> Notice:
        procedure = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return build_notice(procedure, self.request.GET.get("step") or None, self.request.user)


class NoticeView(NoticeMixin, generic.TemplateView):
    """The printable page (the base's navigation is hidden in print)."""

    template_name = "poverty/notice.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["notice"] = self.get_notice()
        return ctx


class NoticePdfView(NoticeMixin, generic.View):
    def get(self, request, *args, **kwargs):
        notice = self.get_notice()
        try:
            content = render_pdf(notice)
        except PdfUnavailable as exc:
            messages.error(request, str(exc))
            url = reverse("poverty:notice", kwargs={"pk": notice.procedure.pk})
            return HttpResponseRedirect(f"{url}?step={notice.step.code}")
        response = HttpResponse(content, content_type="application/pdf")
        name = f"notice-{notice.procedure.pk}-{notice.step.code}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


urlpatterns = [
    path("procedures/<int:pk>/notice/", NoticeView.as_view(), name="notice"),
    path("procedures/<int:pk>/notice.pdf", NoticePdfView.as_view(), name="notice_pdf"),
]
