"""Natural bounds (fupin.core.bounds): a meeting's attendance within the members expected,
amounts not negative, an end not before its start, ... Every bound declared on a model is a
database constraint (nothing stores a violation, whatever path it takes) and a field error
that names the field in forms and the API; the rules across rows (votes within the election's
counts, presence within the month, employed within the household) are field errors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from fupin.core import bounds
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.core.testing import VILLAGE_A, client_for, make_user, sample_for

BOUNDED = list(
    (model._meta.label_lower, constraint.violation_error_message.bound)
    for model in apps.get_models()
    for constraint in model._meta.constraints
    if isinstance(constraint.violation_error_message, bounds._Message))
BOUNDED.sort(key=lambda item: (item[0], item[1].field, item[1].op))
IDS = [f"{label}.{b.field}-{b.op}-{b.other or b.value}" for label, b in BOUNDED]


def test_the_bounds_the_issue_names_are_declared():
    declared = {(label, b.field, b.op, b.other or b.value) for label, b in BOUNDED}
    assert {("party.orgmeeting", "attendance", "lte", "expected"),
            ("party.election", "members_present", "lte", "members_eligible"),
            ("assistance.presence", "days", "lte", 31),
            ("assistance.villageplan", "progress", "lte", 100),
            ("poverty.villageprofile", "households", "lte", "rural_population"),
            ("poverty.incomerecord", "wages", "gte", 0),
            ("assistance.measure", "amount", "gte", 0)} <= declared


def _violate(instance, bound: bounds.Bound) -> None:
    """Set the fields of `instance` so that `bound` fails by one unit."""
    field = instance._meta.get_field(bound.field)
    if isinstance(field, models.DateField):
        base, one = datetime.date(2024, 3, 10), datetime.timedelta(days=1)
    elif isinstance(field, models.DecimalField):
        base, one = Decimal(5), Decimal(1)
    else:
        base, one = 5, 1
    step = one if bound.op == "lte" else -one
    if bound.other:
        limit = getattr(instance, bound.other)
        if limit is None or (bound.op == "gte" and limit < base):
            limit = base
            setattr(instance, bound.other, limit)
        setattr(instance, bound.field, limit + step)
    else:
        setattr(instance, bound.field, bound.value + step)


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(("label", "bound"), BOUNDED, ids=IDS)
def test_the_database_refuses_a_row_out_of_bounds(regions, label, bound):
    with acting_as(None, label="test", scope_checks=False):
        instance = sample_for(label, VILLAGE_A)
        _violate(instance, bound)
        with pytest.raises(IntegrityError), transaction.atomic():
            instance.save()


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "bound"), BOUNDED, ids=IDS)
def test_validation_names_the_field(regions, label, bound):
    with acting_as(None, label="test", scope_checks=False):
        instance = sample_for(label, VILLAGE_A)
    _violate(instance, bound)
    model = type(instance)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        instance.full_clean(validate_unique=False)
    with translation.override("zh-hans"):
        name = capfirst(str(model._meta.get_field(bound.field).verbose_name))
        messages = [str(m) for ms in error.value.message_dict.values() for m in ms]
    # on the field itself, or (a constraint's message) naming it
    assert bound.field in error.value.message_dict or any(name in m for m in messages), \
        messages


@pytest.mark.django_db
def test_a_meeting_of_9_out_of_7_is_refused_by_the_form_and_the_api(regions):
    from fupin.party.models import OrgMeeting
    from fupin.party.testing import make_org

    user = make_user(Role.TOWNSHIP)
    client = client_for(user)
    org = make_org(VILLAGE_A)
    data = {"org": org.pk, "kind": "committee", "date": "2025-06-01", "attendance": 9,
            "expected": 7, "topics": "研究产业发展"}
    response = client.post(reverse("party:orgmeeting_add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "attendance" in errors and "members expected" in str(errors["attendance"]) \
        or "应到" in str(errors["attendance"])
    response = client.post("/api/v1/party/meetings/", data, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (400, 422), response.content
    assert not OrgMeeting.objects.filter(attendance=9).exists()
    data["attendance"] = 7
    assert client.post(reverse("party:orgmeeting_add"), data).status_code == 302


@pytest.mark.django_db
def test_rules_across_rows(regions):
    from fupin.assistance.models import Presence, Relocation
    from fupin.party.models import Candidate, Election
    from fupin.poverty.models import IncomeRecord, Person

    with acting_as(None, label="test", scope_checks=False):
        presence = sample_for("assistance.presence", VILLAGE_A)
        relocation = sample_for("assistance.relocation", VILLAGE_A)
        income = sample_for("poverty.incomerecord", VILLAGE_A)
        person = sample_for("poverty.person", VILLAGE_A)
        candidate = sample_for("party.candidate", VILLAGE_A) \
            if "party.candidate" in _samples() else None

    def field_errors(instance) -> dict:
        with pytest.raises(ValidationError) as error:
            instance.clean()
        return error.value.message_dict

    presence.month, presence.days = datetime.date(2025, 2, 1), 29
    assert "days" in field_errors(presence)
    presence.days = 28
    presence.clean()
    relocation.employed = relocation.household.members_count + 1
    assert "employed" in field_errors(relocation)
    income.members = income.household.members_count + 1
    assert "members" in field_errors(income)
    person.birth_date = datetime.date.today() + datetime.timedelta(days=1)
    assert "birth_date" in field_errors(person)
    with acting_as(None, label="test", scope_checks=False):
        cadre = sample_for("party.cadre", VILLAGE_A)
    cadre.birth_date = person.birth_date
    assert "birth_date" in field_errors(cadre)
    if candidate is not None:
        election: Election = candidate.election
        election.members_eligible = 10
        candidate.member_votes = 11
        assert isinstance(candidate, Candidate) and "member_votes" in field_errors(candidate)
    assert Presence and Relocation and IncomeRecord and Person


def _samples():
    from fupin.core.testing import SAMPLES, _discover_samples

    _discover_samples()
    return SAMPLES


@pytest.mark.django_db
def test_a_village_enters_its_net_income_per_capita_never_negative(regions):
    from fupin.poverty.forms import VillageProfileForm

    user = make_user(Role.POVERTY_OFFICE)
    data = {"region_code": VILLAGE_A, "rural_population": 1200, "households": 300,
            "collective_income": "0", "net_income_per_capita": "-1"}
    form = VillageProfileForm(data, user=user)
    assert not form.is_valid() and "net_income_per_capita" in form.errors
    form = VillageProfileForm({**data, "net_income_per_capita": "1985"}, user=user)
    assert form.is_valid(), form.errors
    with acting_as(user):
        assert form.save().net_income_per_capita == Decimal(1985)
    form = VillageProfileForm({**data, "region_code": "520102001002", "households": 1201},
                              user=user)
    assert not form.is_valid() and "households" in form.errors
