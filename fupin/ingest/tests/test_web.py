"""The upload page, the background job and its progress, the error workbook, the template."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, VILLAGE_A, client_for
from fupin.ingest.models import ImportJob
from fupin.ingest.testing import household_rows, write_rows
from fupin.poverty.models import Household

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}



@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def upload(client, path):
    with open(path, "rb") as handle:
        return client.post(reverse("ingest:households_upload"), {"file": handle})


def test_upload_runs_the_job(regions, make_user, tmp_path, settings):
    settings.TASKS = IMMEDIATE
    user = make_user(Role.VILLAGE, VILLAGE_A)
    client = client_for(user)
    assert client.get(reverse("ingest:households_upload")).status_code == 200
    response = upload(client, write_rows(tmp_path / "a.xlsx", household_rows(2, 2)))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("ingest:importjob", kwargs={"pk": job.pk})
    assert job.state == "done" and job.result["persons"]["created"] == 4
    assert Household.objects.filter(created_by=user).count() == 2
    page = client.get(response["Location"])
    assert b'data-state="done"' in page.content and b"hx-get" not in page.content
    # the same file again: nothing changes
    upload(client, tmp_path / "a.xlsx")
    again = ImportJob.objects.first()
    assert again.state == "done" and again.record_id is None
    assert again.result["persons"] == {"created": 0, "updated": 0, "unchanged": 4}


def test_bad_rows_offer_the_error_workbook(regions, make_user, tmp_path, settings):
    settings.TASKS = IMMEDIATE
    user = make_user(Role.TOWNSHIP, COUNTY_A)
    client = client_for(user)
    rows = household_rows(1, 2)
    rows[1]["身份证号"] = "123"
    upload(client, write_rows(tmp_path / "bad.csv", rows))
    job = ImportJob.objects.get()
    assert job.state == "rejected" and job.bad_rows == 1 and Household.objects.count() == 0
    page = client.get(reverse("ingest:importjob", kwargs={"pk": job.pk}))
    assert b'data-testid="errors-download"' in page.content
    response = client.get(reverse("ingest:importjob_errors", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    # the reasons are in Chinese, as officials read them
    assert "18 位" in sheet.cell(3, sheet.max_column).value
    # another user of the same region does not see this job
    other = client_for(make_user(Role.TOWNSHIP, COUNTY_A))
    assert other.get(reverse("ingest:importjob", kwargs={"pk": job.pk})).status_code == 404


def test_queued_job_polls_its_progress(regions, make_user, tmp_path):
    user = make_user(Role.POVERTY_OFFICE, COUNTY_A)
    client = client_for(user)
    upload(client, write_rows(tmp_path / "a.csv", household_rows(1, 1)))  # database backend
    job = ImportJob.objects.get()
    assert job.state == "queued" and job.input_path.exists()
    fragment = client.get(reverse("ingest:importjob_progress", kwargs={"pk": job.pk}))
    assert b'hx-trigger="every 1s"' in fragment.content
    from fupin.ingest.tasks import run_job

    assert run_job(job.pk) == "done"
    fragment = client.get(reverse("ingest:importjob_progress", kwargs={"pk": job.pk}))
    assert b"hx-get" not in fragment.content and b'data-state="done"' in fragment.content


def test_roles_that_may_not_import(regions, make_user):
    for role in (Role.VIEWER, Role.HELPER, Role.INSPECTOR, Role.ORG_DEPT):
        response = client_for(make_user(role, COUNTY_A)).get(reverse("ingest:households_upload"))
        assert response.status_code == 403, role


def test_template_download(regions, make_user):
    response = client_for(make_user(Role.VIEWER, COUNTY_A)).get(
        reverse("ingest:households_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.worksheets[0].cell(1, 1).value == "户编号"


def test_every_registry_has_an_upload_page_and_a_template(regions, make_user):
    from fupin.ingest import registry as registries

    client = client_for(make_user(Role.ADMIN, COUNTY_A))
    names = registries.names()
    assert {"households", "orgs", "members"} <= set(names)
    for name in names:
        page = client.get(reverse(f"ingest:{name}_upload"))
        assert page.status_code == 200 and b'data-testid="template"' in page.content, name
        response = client.get(reverse(f"ingest:{name}_template"))
        assert response.status_code == 200, name
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        assert sheet.cell(1, 1).value == registries.get(name).columns[0].header
