"""The `assistance.helper_user` generator: the demo helper's member record."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from fupin.assistance.demo.calibration import HELPER_USERNAME, today
from fupin.assistance.models import Pairing
from fupin.core import demo
from fupin.party.models import PartyMember
from fupin.regions.models import Region
from fupin.regions.scope import pad, within


@demo.generator("assistance.helper_user", order=910)
def helper_user(ctx: demo.DemoContext) -> str:
    """Link `demo-helper` (accounts.users, 900) to a member who currently helps two to five
    households of one village, the nearest to the user's village, and make that village the
    user's scope."""
    from fupin.accounts.models import User

    user = User.objects.filter(username=HELPER_USERNAME).first()
    if user is None:
        return f"no user {HELPER_USERNAME}, nothing linked (accounts.users runs first)"
    day = today()
    current = Pairing._base_manager.filter(Pairing.current_q(day))
    if user.member_id is not None:
        mine = current.filter(helper_id=user.member_id)
        if mine.exists() and not mine.exclude(region_code=user.region_code).exists():
            return (f"{HELPER_USERNAME} helps {mine.count()} households in {user.region_code}, "
                    "nothing changed")
    code = user.region_code or ""
    free = current.exclude(helper__user__isnull=False)  # not another user's member record
    found = None
    for prefix in (code, code[:9], code[:6], code[:4], ""):
        rows = free.filter(within(pad(prefix)) if prefix else Q()).values("helper").annotate(
            n=Count("id"), villages=Count("region_code", distinct=True),
            village=Min("region_code")).filter(n__gte=2, n__lte=5, villages=1)
        # three or more households if there is such a helper this near, else two
        found = (rows.filter(n__gte=3).order_by("village", "helper").first()
                 or rows.order_by("village", "helper").first())
        if found is not None:
            break
    if found is None:
        return f"no member helps two to five households of one village, {HELPER_USERNAME} not linked"
    user.member = PartyMember._base_manager.get(pk=found["helper"])
    user.region_code = found["village"]
    user.save(update_fields=["member", "region_code"])
    region = Region.objects.filter(code=user.region_code).first()
    if region is not None and HELPER_USERNAME in ctx.users:
        ctx.users[HELPER_USERNAME] = (ctx.users[HELPER_USERNAME][0], region)
    return (f"{HELPER_USERNAME} is {user.member.name}, helper of {found['n']} households in "
            f"{user.region_code}")
