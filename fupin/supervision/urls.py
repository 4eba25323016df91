from fupin.supervision import views  # noqa: F401
from fupin.supervision.assessment import urls as assessment_urls

app_name = "supervision"

urlpatterns: list = [
    *assessment_urls.urlpatterns,
]
