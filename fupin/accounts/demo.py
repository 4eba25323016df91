"""Demo users: one per role, at sensible regions of the demo province."""

from fupin.accounts.models import User
from fupin.core import demo
from fupin.core.policy import Role
from fupin.regions.models import Level, Region

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


def demo_regions(ctx: demo.DemoContext) -> dict[int, Region]:
    """A rural county (one with townships), one of its townships and villages, by the seed."""
    from fupin.poverty.models import VillageProfile

    rng = ctx.random("accounts.regions")
    # A key village when the poverty demo made some: the work-team and village users then
    # have a team, pairings and gaps to look at.
    key = set(VillageProfile._base_manager.filter(is_key_village=True)
              .values_list("region_code", flat=True))
    counties = list(Region.objects.filter(level=Level.COUNTY, children__isnull=False)
                    .exclude(name__endswith="区").distinct().order_by("code"))
    with_key = [c for c in counties if any(k.startswith(c.code[:6]) for k in key)]
    county = rng.choice(with_key or counties)
    townships = list(county.children.order_by("code"))
    township = rng.choice([t for t in townships if any(k.startswith(t.code[:9]) for k in key)]
                          or townships)
    villages = list(township.children.order_by("code"))
    village = rng.choice([v for v in villages if v.code in key] or villages)
    return {Level.PROVINCE: Region.objects.get(level=Level.PROVINCE, code=county.code[:2] + "0" * 10),
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
