"""Records are named by what a person reads (issue 11: "ID 12166" on a record page)."""

import pytest
from django.urls import reverse

from fupin.core.policy import Role
from fupin.core.testing import VILLAGE_A, client_for, sample_for

pytestmark = pytest.mark.django_db


def test_an_income_record_is_named_by_its_household_not_an_id(make_user):
    user = make_user(Role.POVERTY_OFFICE)
    income = sample_for("poverty.incomerecord", VILLAGE_A, user)
    name = str(income)
    assert income.household.head_name in name and str(income.year) in name
    assert not name.startswith(str(income.household_id))
    page = client_for(user).get(reverse("poverty:incomerecord", kwargs={"pk": income.pk}))
    assert income.household.head_name in page.content.decode()
