"""API authentication by bearer token (`Authorization: Bearer <key>`), kept with the tokens:
core knows no app, so the API root takes its token auth from here."""

from ninja.security import HttpBearer

from fupin.accounts.models import ApiToken
from fupin.core import context


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
            context.set_actor(user)
        return user
