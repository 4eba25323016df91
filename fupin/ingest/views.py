"""Web import (网页导入): upload a sheet, follow the background job, download the error workbook
or the template. Rows are checked against the uploader's region by the pipeline itself."""

from __future__ import annotations

import io
import tempfile
import uuid
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from fupin.core import worker
from fupin.core.policy import can, restrict
from fupin.core.views import AccessMixin
from fupin.core.xlsx import XLSX_TYPE
from fupin.ingest import registry as registries
from fupin.ingest.exporting import write_template
from fupin.ingest.models import ImportJob
from fupin.ingest.sources import XLSX_SUFFIXES

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", *XLSX_SUFFIXES):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.")
                                        % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
        return upload


class RegistryMixin:
    registry_name = ""

    @property
    def registry(self):
        return registries.get(self.registry_name)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["registry"] = self.registry
        return ctx


class UploadView(RegistryMixin, AccessMixin, generic.FormView):
    """Who may import a registry is who may add and change its records (`model` is set to the
    registry's model for each registry in urls.py, where the access-matrix test reads it)."""

    model = ImportJob
    action = "add"
    form_class = UploadForm
    template_name = "ingest/upload.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not all(
                can(user, self.registry.model, a) for a in ("add", "change")):
            raise PermissionDenied(_("Your role may not do this."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["jobs"] = restrict(ImportJob.objects.filter(registry=self.registry.name),
                               self.request.user, "view")[:10]
        return ctx

    def form_valid(self, form):
        from fupin.ingest.tasks import import_job

        upload = form.cleaned_data["file"]
        user = self.request.user
        job = ImportJob.objects.create(
            registry=self.registry.name, user=user, region_code=user.region_code or "",
            language=translation.get_language() or "", filename=Path(upload.name).name[:255],
            stored_name=f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}")
        job.directory.mkdir(parents=True, exist_ok=True)
        with open(job.input_path, "wb") as handle:
            for part in upload.chunks():
                handle.write(part)
        job.task_id = str(import_job.enqueue(job.pk).id)
        job.save(update_fields=["task_id"])
        return HttpResponseRedirect(reverse("ingest:importjob", kwargs={"pk": job.pk}))


class JobView(AccessMixin, generic.DetailView):
    model = ImportJob
    action = "view"
    template_name = "ingest/importjob.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        from fupin.ingest.tasks import settle_abandoned

        return settle_abandoned(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["registry"] = registries.get(self.object.registry)
        # Says whether nobody runs the worker or it is busy: who to ask differs.
        ctx["worker_running"] = self.object.waiting_too_long and worker.any_alive()
        return ctx


class JobProgressView(JobView):
    """The HTMX fragment polled every second while the job runs."""

    template_name = "ingest/_progress.html"


class JobErrorsView(AccessMixin, generic.DetailView):
    model = ImportJob
    action = "view"

    def get(self, request, *args, **kwargs):
        job = self.get_object()
        if not job.has_errors_file or not job.errors_path.exists():
            return HttpResponseRedirect(reverse("ingest:importjob", kwargs={"pk": job.pk}))
        name = f"{Path(job.filename).stem}-errors.xlsx"
        return FileResponse(open(job.errors_path, "rb"), as_attachment=True, filename=name,
                            content_type=XLSX_TYPE)


class TemplateView(RegistryMixin, AccessMixin, generic.View):
    """The empty import template of a registry."""

    action = "view"

    def get(self, request, *args, **kwargs):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_template(self.registry, Path(tmp) / "template.xlsx")
            data = path.read_bytes()
        name = f"{self.registry.sheet_title or self.registry.name}-模板.xlsx"
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=name,
                            content_type=XLSX_TYPE)
