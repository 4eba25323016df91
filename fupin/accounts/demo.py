"""Demo users: one per role, at sensible regions of the demo province."""

from collections.abc import Callable, Iterable

from fupin.accounts.models import User
from fupin.core import demo
from fupin.core.policy import Role
from fupin.regions.models import Level, Region
from fupin.regions.scope import ancestor_at

DEMO_PASSWORD = "fupin-demo-2026"

# (username, role, level of the scope region, full name, unit)
DEMO_USERS = [
    ("demo-admin", Role.ADMIN, Level.PROVINCE, "系统管理员", "省委组织部信息中心"),
    ("demo-org", Role.ORG_DEPT, Level.PREFECTURE, "市委组织部干部", "市委组织部"),
    ("demo-poverty", Role.POVERTY_OFFICE, Level.COUNTY, "县扶贫办干部", "县扶贫开发办公室"),
    ("demo-township", Role.TOWNSHIP, Level.TOWNSHIP, "乡镇党委组织委员", "乡镇党委"),
    ("demo-village", Role.VILLAGE, Level.VILLAGE, "村党支部书记", "村党支部"),
    ("demo-team", Role.WORK_TEAM, Level.VILLAGE, "驻村第一书记", "省直单位驻村工作队"),
    ("demo-helper", Role.HELPER, Level.VILLAGE, "帮扶责任人", "县直机关党支部"),
    ("demo-inspector", Role.INSPECTOR, Level.COUNTY, "督查组成员", "县委督查室"),
    ("demo-viewer", Role.VIEWER, Level.PROVINCE, "观察员", "省扶贫开发领导小组办公室"),
]


# Villages worth showing the demo users (a key village has a work team, pairings and gaps to
# look at). The apps that know such villages sit above accounts, so they register a function
# returning their codes (poverty, from its AppConfig.ready: the key villages) instead of
# accounts importing them.
FEATURED_VILLAGES: list[Callable[[], Iterable[str]]] = []


def featured_villages(func: Callable[[], Iterable[str]]) -> Callable[[], Iterable[str]]:
    FEATURED_VILLAGES.append(func)
    return func


def demo_regions(ctx: demo.DemoContext) -> dict[int, Region]:
    """A rural county (one with townships), one of its townships and villages, by the seed,
    preferring a featured village when the generators before this one made some."""
    rng = ctx.random("accounts.regions")
    key = {code for source in FEATURED_VILLAGES for code in source()}
    counties = list(Region.objects.filter(level=Level.COUNTY, children__isnull=False)
                    .exclude(name__endswith="区").distinct().order_by("code"))
    held = {ancestor_at(k, level) for k in key for level in (Level.COUNTY, Level.TOWNSHIP)}
    county = rng.choice([c for c in counties if c.code in held] or counties)
    townships = list(county.children.order_by("code"))
    township = rng.choice([t for t in townships if t.code in held] or townships)
    villages = list(township.children.order_by("code"))
    village = rng.choice([v for v in villages if v.code in key] or villages)
    return {Level.PROVINCE: Region.objects.get(code=ancestor_at(county.code, Level.PROVINCE)),
            Level.PREFECTURE: county.parent, Level.COUNTY: county, Level.TOWNSHIP: township,
            Level.VILLAGE: village}


@demo.generator("accounts.users", order=900)
def users(ctx: demo.DemoContext) -> str:
    regions = demo_regions(ctx)
    for username, role, level, full_name, unit in DEMO_USERS:
        region = regions[level]
        user = User.objects.filter(username=username).first() or User(username=username)
        if role == Role.HELPER and user.member_id is not None:
            # Linked to a member by fupin.assistance.demo (assistance.helper_user, after this
            # generator): the helper keeps the village of their households.
            region = Region.objects.filter(code=user.region_code).first() or region
        user.role, user.region_code = role, region.code
        user.full_name, user.unit = full_name, unit
        user.is_active = True
        if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        ctx.users[username] = (role, region)
    return f"{len(DEMO_USERS)} demo users"
