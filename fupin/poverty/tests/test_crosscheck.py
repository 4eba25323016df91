import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from fupin.core.models import ChangeRecord
from fupin.core.testing import VILLAGE_A, VILLAGE_B
from fupin.poverty.models import CrosscheckLead, Household
from fupin.poverty.testing import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_matches_become_leads_once_and_nothing_else_changes(regions, tmp_path, capsys):
    a = make_household(VILLAGE_A, members=2)
    b = make_household(VILLAGE_B, members=1)
    pa, pb = a.members.first(), b.members.first()
    path = tmp_path / "vehicles.csv"
    path.write_text("身份证号,车牌,品牌\n"
                    f"{pa.id_number.lower()},贵A12345,比亚迪\n"
                    f"{pb.id_number},贵C54321,五菱\n"
                    "11010519491231002X,京A00001,红旗\n"  # valid but not registered
                    "not-a-number,x,y\n", encoding="utf-8")
    statuses = list(Household.objects.values_list("status", flat=True))
    call_command("crosscheck", str(path), "--kind", "vehicles")
    out = capsys.readouterr().out
    assert "4 rows, 1 without a valid ID number, 2 matched" in out
    leads = CrosscheckLead.objects.order_by("region_code")
    assert [(lead.person_id, lead.attributes["车牌"]) for lead in leads] == [
        (pa.pk, "贵A12345"), (pb.pk, "贵C54321")]
    assert all(lead.state == "open" for lead in leads)
    assert list(Household.objects.values_list("status", flat=True)) == statuses
    assert ChangeRecord.objects.filter(model="poverty.crosschecklead", action="batch").count() == 1
    call_command("crosscheck", str(path), "--kind", "vehicles")  # same file again: no new leads
    assert CrosscheckLead.objects.count() == 2


def test_bad_input_gets_a_one_line_reason(regions, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("crosscheck", str(tmp_path / "missing.csv"), "--kind", "housing")
    no_id = tmp_path / "no_id.csv"
    no_id.write_text("name,plate\n张三,贵A1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no ID-number column"):
        call_command("crosscheck", str(no_id), "--kind", "housing")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("身份证号\n".encode("gbk"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("crosscheck", str(gbk), "--kind", "housing")
    assert not CrosscheckLead.objects.exists()
