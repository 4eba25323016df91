import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import translation

from fupin.accounts.models import User
from fupin.core import changelog
from fupin.core.context import acting_as
from fupin.core.models import ChangeRecord
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_B, VILLAGE_A, VILLAGE_B, client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Assertions below read English messages; the default language is zh-Hans."""
    with translation.override("en"):
        yield


def test_create_update_delete_are_recorded_with_actor_and_snapshots(regions):
    admin = make_user(Role.ADMIN)
    with acting_as(admin, request_id="abc12345"):
        user = User.objects.create(username="u1", role=Role.VILLAGE, region_code=VILLAGE_A)
        user.full_name = "张三"
        user.save()
        pk = user.pk
        user.delete()
    records = list(ChangeRecord.objects.filter(model="accounts.user", object_id=str(pk))
                   .order_by("id"))
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert all(r.user_id == admin.pk and r.actor == admin.username for r in records)
    assert all(r.request_id == "abc12345" and r.region_code == VILLAGE_A for r in records)
    assert records[1].before["full_name"] == "" and records[1].after["full_name"] == "张三"
    assert records[2].before["username"] == "u1" and records[2].after is None
    assert "password" not in records[0].after


def test_saving_without_a_change_writes_nothing(regions):
    user = make_user(Role.VIEWER)
    count = ChangeRecord.objects.count()
    user.save()
    assert ChangeRecord.objects.count() == count


def test_user_cannot_create_or_move_a_record_outside_scope(regions):
    admin = make_user(Role.ADMIN)  # county A
    with acting_as(admin), pytest.raises(changelog.ScopeViolation):
        with transaction.atomic():
            User.objects.create(username="outsider", region_code=VILLAGE_B)
    assert not User.objects.filter(username="outsider").exists()
    inside = make_user(Role.VIEWER, VILLAGE_A)
    inside.region_code = VILLAGE_B
    with acting_as(admin), pytest.raises(changelog.ScopeViolation):
        with transaction.atomic():
            inside.save()
    inside.refresh_from_db()
    assert inside.region_code == VILLAGE_A


def test_user_cannot_change_or_delete_a_record_outside_scope(regions):
    admin = make_user(Role.ADMIN)
    other = make_user(Role.VIEWER, COUNTY_B)
    other.full_name = "changed"
    with acting_as(admin), pytest.raises(changelog.ScopeViolation):
        with transaction.atomic():
            other.save()
    with acting_as(admin), pytest.raises(changelog.ScopeViolation):
        with transaction.atomic():
            other.delete()
    assert User.objects.filter(pk=other.pk, full_name="").exists()


def test_a_role_without_the_permission_cannot_write(regions):
    viewer = make_user(Role.VIEWER)
    with acting_as(viewer), pytest.raises(changelog.ScopeViolation):
        with transaction.atomic():
            User.objects.create(username="x", region_code=VILLAGE_A)


def test_change_records_are_append_only(regions):
    make_user(Role.VIEWER)
    record = ChangeRecord.objects.first()
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()


def test_audit_verify_passes_then_catches_tampering(regions, capsys):
    for i in range(3):
        make_user(Role.VIEWER, VILLAGE_A, full_name=f"n{i}")
    call_command("audit", "verify")
    assert capsys.readouterr().out.startswith("ok ")
    victim = ChangeRecord.objects.order_by("id")[2]
    with connection.cursor() as cursor:  # an attacker editing the table directly
        cursor.execute(
            f"UPDATE {ChangeRecord._meta.db_table} SET object_repr = %s WHERE id = %s",
            ["forged", victim.pk],
        )
    with pytest.raises(CommandError, match=f"record {victim.pk}"):
        call_command("audit", "verify")


def test_audit_verify_catches_a_deleted_record(regions):
    for i in range(3):
        make_user(Role.VIEWER, VILLAGE_A, full_name=f"n{i}")
    victim = ChangeRecord.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ChangeRecord._meta.db_table} WHERE id = %s", [victim.pk])
    count, broken, reason = changelog.verify()
    assert broken is not None and "previous hash" in reason


def test_audit_verify_catches_truncation_of_the_newest_records(regions):
    for i in range(3):
        make_user(Role.VIEWER, VILLAGE_A, full_name=f"n{i}")
    last = ChangeRecord.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ChangeRecord._meta.db_table} WHERE id = %s", [last.pk])
    _count, broken, reason = changelog.verify()
    assert broken is not None and "chain head" in reason


def test_edits_through_the_ui_are_recorded_with_the_request_id(regions):
    admin = make_user(Role.ADMIN)
    target = make_user(Role.VIEWER, VILLAGE_A)
    response = client_for(admin).post(
        f"/accounts/users/{target.pk}/edit/",
        {"username": target.username, "full_name": "李四", "role": Role.VIEWER,
         "region_code": VILLAGE_A, "language": "zh-hans", "is_active": "on", "password": ""},
    )
    assert response.status_code == 302
    record = ChangeRecord.objects.filter(model="accounts.user", object_id=str(target.pk),
                                         action="update").get()
    assert record.user_id == admin.pk
    assert record.request_id == response["X-Request-ID"]


def test_audit_page_lists_only_changes_in_scope_and_filters(regions):
    make_user(Role.VIEWER, VILLAGE_A, full_name="inside")
    make_user(Role.VIEWER, VILLAGE_B, full_name="outside")
    client = client_for(make_user(Role.ADMIN))
    response = client.get("/audit/")
    regions_seen = {r.region_code for r in response.context["table"].data}
    assert VILLAGE_A in regions_seen and VILLAGE_B not in regions_seen
    response = client.get("/audit/", {"action": "delete"})
    assert list(response.context["table"].data) == []
    response = client.get("/audit/", {"since": "not-a-date"})
    assert response.status_code == 200  # a clear form error, not a crash
