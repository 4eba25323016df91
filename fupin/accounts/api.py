"""Accounts through the API: who you are (/me), and the users your role may see (read-only:
accounts are made and changed on their pages, where passwords are set)."""

from datetime import datetime

from ninja import Router

from fupin.accounts.filtersets import UserFilterSet
from fupin.accounts.models import User
from fupin.core.api import ERRORS, Out, crud, policy

router = Router(tags=["accounts"])


class UserOut(Out):
    id: int
    username: str
    full_name: str
    role: str
    region_code: str
    unit: str
    phone: str
    language: str
    is_active: bool
    last_login: datetime | None


@router.get("/me", response={200: UserOut, **ERRORS}, openapi_extra=policy(None))
def me(request):
    """The authenticated user (your own phone is never masked)."""
    return request.user


crud(router, "/users/", User, UserFilterSet, out=UserOut, ordering=["username"])
