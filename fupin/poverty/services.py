"""Derived values kept in step with the records they come from."""

from django.db.models import Count

from fupin.poverty.choices import Relation
from fupin.poverty.models import Household, Person


def refresh_household_summary(household: Household) -> None:
    """Members count and head's name, derived from the persons (never typed in twice)."""
    members = Person._base_manager.filter(household=household)
    count = members.aggregate(n=Count("id"))["n"]
    head = members.filter(relation=Relation.HEAD).values_list("name", flat=True).first() or ""
    if household.members_count != count or household.head_name != head:
        household.members_count, household.head_name = count, head
        household.save(update_fields=["members_count", "head_name", "updated_at"])
