"""API building blocks: token auth, the policy check and masking for django-ninja routers."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from fupin.core import context
from fupin.core.masking import mask
from fupin.core.policy import can, has_personal_data_permission, restrict


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        from fupin.accounts.models import ApiToken

        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
            context.set_actor(user)
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def rows(request, model, action: str = "view", queryset=None):
    """The only way an API operation gets rows: the policy, or 403 when the role may not."""
    if not can(request.user, model, action):
        raise HttpError(403, _("Your role may not do this."))
    qs = queryset if queryset is not None else model._default_manager.all()
    return restrict(qs, request.user, action)


def one(request, model, action: str = "view", queryset=None, **lookup):
    obj = rows(request, model, action, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404(_("Not found, or outside your region."))
    return obj


def masked(request, model, data: dict) -> dict:
    personal = getattr(model, "personal_fields", {})
    if not personal or has_personal_data_permission(request.user):
        return data
    return {k: mask(v, personal[k]) if k in personal else v for k, v in data.items()}


def policy(model: str | None, action: str = "view") -> dict:
    """`openapi_extra` for an operation: its policy, in the schema, for the access-matrix test.

    model None means any authenticated user (e.g. /me).
    """
    return {"x-policy": {"model": model, "action": action}}
