from django.urls import path

from fupin.ingest import registry as registries
from fupin.ingest import views

app_name = "ingest"

urlpatterns = [
    path("jobs/<int:pk>/", views.JobView.as_view(), name="importjob"),
    path("jobs/<int:pk>/progress/", views.JobProgressView.as_view(), name="importjob_progress"),
    path("jobs/<int:pk>/errors/", views.JobErrorsView.as_view(), name="importjob_errors"),
]
# One upload page and one template per registry (declared when the apps load). The view classes
# carry registry and model as class attributes: the access-matrix test reads them there.
for spec in registries.all_registries():
    upload = type(f"{spec.name.title()}UploadView", (views.UploadView,),
                  {"registry_name": spec.name, "model": spec.model})
    template = type(f"{spec.name.title()}TemplateView", (views.TemplateView,),
                    {"registry_name": spec.name, "model": spec.model})
    urlpatterns += [
        path(f"{spec.name}/upload/", upload.as_view(), name=f"{spec.name}_upload"),
        path(f"{spec.name}/template/", template.as_view(), name=f"{spec.name}_template"),
    ]
