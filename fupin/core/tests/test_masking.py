import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin.core.masking import MaskingLogFilter, mask, scrub
from fupin.core.policy import Role
from fupin.core.testing import VILLAGE_A, client_for, make_user


def test_mask_formats():
    assert mask("52010219900101123X", "id_number") == "5201**********123X"
    assert mask("13812345678", "phone") == "138****5678"
    assert mask("6222021234567890123", "bank_account") == "6222***********0123"
    assert mask("", "phone") == ""
    assert mask(None, "phone") is None


@given(st.from_regex(r"\d{17}[\dX]", fullmatch=True))
def test_masked_id_number_keeps_only_eight_characters(value):
    masked = mask(value, "id_number")
    assert len(masked) == 18 and masked.count("*") == 10 and value[4:14] not in masked


def test_log_filter_scrubs_personal_data(caplog):
    logger = logging.getLogger("fupin.test.masking")
    logger.addFilter(MaskingLogFilter())
    with caplog.at_level(logging.WARNING, logger="fupin.test.masking"):
        logger.warning("id %s phone %s", "52010219900101123X", "13812345678")
    text = caplog.records[0].getMessage()
    assert "52010219900101123X" not in text and "13812345678" not in text
    assert scrub("6222021234567890123") == "6222***********0123"


@pytest.mark.django_db
@pytest.mark.parametrize("role,unmasked", [(Role.ADMIN, True), (Role.ORG_DEPT, True),
                                           (Role.POVERTY_OFFICE, True)])
def test_detail_page_shows_phone_only_to_permitted_roles(regions, role, unmasked):
    target = make_user(Role.VIEWER, VILLAGE_A, phone="13812345678")
    response = client_for(make_user(role)).get(f"/accounts/users/{target.pk}/")
    assert response.status_code == 200
    assert (b"13812345678" in response.content) is unmasked
    assert b"138****5678" in response.content or unmasked


@pytest.mark.django_db
def test_lists_always_mask_and_exports_follow_the_permission(regions):
    from fupin.core.models import PersonalDataAccess

    make_user(Role.VIEWER, VILLAGE_A, phone="13812345678")
    admin = make_user(Role.ADMIN)
    client = client_for(admin)
    assert b"13812345678" not in client.get("/accounts/users/").content
    export = b"".join(client.get("/accounts/users/", {"export": "csv"}).streaming_content)
    assert b"13812345678" in export
    assert PersonalDataAccess.objects.filter(user=admin, channel="export").exists()


@pytest.mark.django_db
def test_change_history_is_masked_for_roles_without_the_permission(regions):
    from fupin.core.models import ChangeRecord

    make_user(Role.VIEWER, VILLAGE_A, phone="13812345678")
    record = ChangeRecord.objects.filter(model="accounts.user").latest("id")
    assert record.after["phone"] == "13812345678"  # stored whole, masked when shown
    inspector = client_for(make_user(Role.INSPECTOR))  # reads the audit, no personal data
    page = inspector.get(f"/audit/{record.pk}/")
    assert page.status_code == 200
    assert b"13812345678" not in page.content and b"138****5678" in page.content
    api = inspector.get(f"/api/v1/audit/changes/{record.pk}").json()
    assert api["after"]["phone"] == "138****5678"
    listing = inspector.get("/api/v1/audit/changes/").json()
    assert "13812345678" not in str(listing)
    admin = client_for(make_user(Role.ADMIN))
    assert b"13812345678" in admin.get(f"/audit/{record.pk}/").content


def test_log_filter_scrubs_tracebacks(caplog):
    logger = logging.getLogger("fupin.test.masking.tb")
    logger.addFilter(MaskingLogFilter())
    with caplog.at_level(logging.ERROR, logger="fupin.test.masking.tb"):
        try:
            raise ValueError("bad id 52010219900101123X in row 7")
        except ValueError:
            logger.exception("import failed")
    record = caplog.records[0]
    assert "52010219900101123X" not in record.exc_text
    assert "520102********123X" in record.exc_text
    assert "52010219900101123X" not in logging.Formatter().format(record)


# Roles that read persons but hold no personal-data permission (design §4): they see every
# ID number masked, wherever it is shown.
MASKED_ROLES = {Role.INSPECTOR, Role.VIEWER}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.ALL)
def test_id_number_is_masked_on_page_export_and_history_for_roles_without_the_permission(
        regions, role):
    from django.urls import reverse

    from fupin.core.models import ChangeRecord
    from fupin.core.policy import can
    from fupin.core.testing import COUNTY_A, export_rows, sample_for

    user = make_user(role, COUNTY_A)
    person = sample_for("poverty.person", VILLAGE_A, user)
    raw, masked = person.id_number, mask(person.id_number, "id_number")
    unmasked = role not in MASKED_ROLES
    client = client_for(user)

    page = client.get(reverse("poverty:person", kwargs={"pk": person.pk}))
    assert page.status_code == 200
    assert (raw in page.content.decode()) is unmasked
    assert unmasked or masked in page.content.decode()

    history = str([record.diff for record in page.context["history"]])
    assert masked in history or raw in history, "the creation is in the history"
    assert (raw in history) is unmasked

    for fmt in ("csv", "xlsx"):
        cells = {cell for row in export_rows(client, "/poverty/persons/", fmt) for cell in row}
        assert (raw in cells) is unmasked, fmt
        assert unmasked or masked in cells, fmt

    if can(user, ChangeRecord, "view"):
        record = ChangeRecord.objects.filter(model="poverty.person", object_id=str(person.pk),
                                             action="create").get()
        assert record.after["id_number"] == raw  # stored whole, masked when shown
        audit = client.get(f"/audit/{record.pk}/").content.decode()
        assert (raw in audit) is unmasked
        assert unmasked or masked in audit
