from fupin.core.filtersets import ChangeRecordFilterSet
from fupin.core.models import ChangeRecord
from fupin.core.tables import ChangeRecordTable
from fupin.core.views import ChangeRecordDetailView, ViewSet

app_name = "core"


class ChangeRecordViews(ViewSet):
    model = ChangeRecord
    table = ChangeRecordTable
    filterset = ChangeRecordFilterSet
    detail_view = ChangeRecordDetailView
    create_view = edit_view = delete_view = None  # the change log is append-only


urlpatterns = ChangeRecordViews.urls(app_name)
