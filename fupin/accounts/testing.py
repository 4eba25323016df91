"""Sample makers for the accounts app (see fupin.core.testing.SAMPLES)."""

from __future__ import annotations

from fupin.accounts.models import ApiToken
from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.core.testing import make_user, sample
from fupin.regions.scope import is_within


@sample("accounts.user")
def _user(region_code, user):
    return make_user(Role.VIEWER, region_code, phone="13812345678")


@sample("accounts.apitoken")
def _token(region_code, user):
    # A token is visible to its owner alone: "in scope" means the user's own token.
    owner = user if user is not None and is_within(region_code, user.region_code) else \
        make_user(Role.VIEWER, region_code)
    with acting_as(None, label="test"):
        return ApiToken.issue(owner, f"sample {region_code}")[0]
