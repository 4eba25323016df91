from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from fupin.accounts.models import User
from fupin.core.api import masked, one, policy, rows

router = Router(tags=["accounts"])


class UserOut(Schema):
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

    @staticmethod
    def resolve_phone(obj, context):
        request = context["request"]
        if obj.pk == request.user.pk:
            return obj.phone
        return masked(request, User, {"phone": obj.phone})["phone"]


@router.get("/me", response=UserOut, openapi_extra=policy(None))
def me(request):
    """The authenticated user (your own phone is never masked)."""
    return request.user


@router.get("/users/", response=list[UserOut], openapi_extra=policy("accounts.user"))
@paginate
def list_users(request):
    return rows(request, User).order_by("username")


@router.get("/users/{user_id}", response=UserOut, openapi_extra=policy("accounts.user"))
def get_user(request, user_id: int):
    return one(request, User, pk=user_id)
