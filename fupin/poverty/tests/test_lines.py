"""Poverty lines (贫困线) are province-wide yearly data, not scoped to a region: the generic
scope tests do not apply, so their pages are tested here."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fupin.core.models import ChangeRecord
from fupin.core.policy import Role
from fupin.core.testing import PROVINCE, client_for
from fupin.poverty.models import PovertyLine

pytestmark = pytest.mark.django_db
DATA = {"year": 2020, "poverty_line": "4000", "low_income_line": "", "monitoring_line": "6000",
        "note": "测试"}


def test_poverty_office_adds_and_edits_a_line(make_user):
    client = client_for(make_user(Role.POVERTY_OFFICE, PROVINCE))
    assert client.post(reverse("poverty:povertyline_add"), DATA).status_code == 302
    line = PovertyLine.objects.get(year=2020)
    assert line.poverty_line == Decimal(4000) and line.monitoring_line == Decimal(6000)
    url = reverse("poverty:povertyline_edit", kwargs={"pk": line.pk})
    assert client.post(url, {**DATA, "poverty_line": "4100"}).status_code == 302
    line.refresh_from_db()
    assert line.poverty_line == Decimal(4100)
    assert set(ChangeRecord.objects.filter(model="poverty.povertyline", object_id=str(line.pk))
               .values_list("action", flat=True)) == {"create", "update"}
    listed = client.get(reverse("poverty:povertyline_list"))
    assert "4,100" in listed.content.decode() or "4100" in listed.content.decode()


def test_a_viewer_reads_but_may_not_change(make_user):
    client = client_for(make_user(Role.VIEWER))
    assert client.get(reverse("poverty:povertyline_list")).status_code == 200
    assert client.post(reverse("poverty:povertyline_add"), DATA).status_code == 403
    assert not PovertyLine.objects.filter(year=2020).exists()


def test_a_non_positive_line_is_refused(make_user):
    client = client_for(make_user(Role.POVERTY_OFFICE, PROVINCE))
    response = client.post(reverse("poverty:povertyline_add"), {**DATA, "poverty_line": "0"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not PovertyLine.objects.filter(year=2020).exists()
