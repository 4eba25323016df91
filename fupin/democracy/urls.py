from fupin.democracy import views  # noqa: F401
from fupin.democracy.openness import urls as openness_urls

app_name = "democracy"

urlpatterns: list = [
    *openness_urls.urlpatterns,
]
