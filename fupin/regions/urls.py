from django.urls import path

from fupin.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.RegionHomeView.as_view(), name="region_list"),
    path("search/", views.RegionSearchView.as_view(), name="region_search"),
    *views.RegionChangeViews.urls(app_name, prefix="changes/"),
    path("<str:pk>/", views.RegionDetailView.as_view(), name="region"),
]
