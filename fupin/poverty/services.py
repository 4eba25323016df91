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


def _person_deleted(sender, instance, **kwargs):
    household = Household._base_manager.filter(pk=instance.household_id).first()
    if household is not None:  # None when the whole household is being deleted
        refresh_household_summary(household)


def connect() -> None:
    from django.db.models.signals import post_delete

    post_delete.connect(_person_deleted, sender=Person, dispatch_uid="poverty_person_deleted")
