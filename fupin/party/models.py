"""Party building (抓党建): organizations, members, organization life, village committees and
cadres, elections."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core import bounds
from fupin.core.idnumber import validate_id_number
from fupin.core.masking import ID_NUMBER, PHONE
from fupin.core.models import ScopedModel
from fupin.party import choices as c
from fupin.poverty.choices import Education, Ethnicity, Sex
from fupin.regions.scope import within

MONEY = {"max_digits": 12, "decimal_places": 2}


class PartyOrg(ScopedModel):
    """A party organization (党组织): committee, general branch, branch or group.

    `region_code` is where it sits; a joint org (村村联建 and the like) also lists every region
    it covers in `covered_regions` and is visible in each of their scopes. `code` (组织代码) is
    its natural key in imports and exports; one created without a code gets the next free
    `<region code><3-digit number>` of its region.
    """

    code = models.CharField(_("organization code"), max_length=30, unique=True, blank=True,
                            help_text=_("Left blank, the region code and a number are given."))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=c.OrgKind.choices)
    basis = models.CharField(_("set up"), max_length=20, choices=c.OrgBasis.choices,
                             default=c.OrgBasis.PLACE)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent organization"))
    secretary = models.ForeignKey("PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("secretary"))
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.code:
            return super().save(*args, **kwargs)
        for attempt in range(5):
            self.code = self.next_code(self.region_code)
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                # Someone took the number meanwhile: take the next one.
                taken = PartyOrg._base_manager.filter(code=self.code).exists()
                self.code = ""
                if attempt == 4 or not taken:
                    raise
        return None  # pragma: no cover - the loop returns or raises

    @staticmethod
    def next_code(region_code: str) -> str:
        """The region code and the next number (3 digits or more) after those it has."""
        used = [code[len(region_code):] for code in PartyOrg._base_manager.filter(
            code__startswith=region_code).values_list("code", flat=True)]
        last = max((int(n) for n in used if n.isdigit()), default=0)
        return f"{region_code}{last + 1:03d}"

    @staticmethod
    def scope_q(code: str) -> Q:
        return within(code) | within(code, "covered_regions__region_code")

    @property
    def is_joint(self) -> bool:
        return self.basis in c.OrgBasis.joint()


class CoveredRegion(models.Model):
    """A region a joint party organization covers (联建覆盖区划)."""

    org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="covered_regions")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "region_code"],
                                               name="covered_region_once")]
        verbose_name = _("covered region")

    def __str__(self) -> str:
        return f"{self.org.name} · {self.region_code}"


# The stages of joining follow one another (a blank stage is skipped).
BOUNDS_MEMBER = (
    bounds.at_least("activist_on", "applied_on"),
    bounds.at_least("candidate_on", "activist_on"),
    bounds.at_least("probationary_on", "candidate_on"),
    bounds.at_least("full_on", "probationary_on"),
)


class PartyMember(ScopedModel):
    """A party member, or a person on the way to membership (党员 / 入党申请人 / 积极分子)."""

    personal_fields = {"id_number": ID_NUMBER, "phone": PHONE}

    org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="members",
                            verbose_name=_("organization"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True,
                                 validators=[validate_id_number])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=Ethnicity.choices,
                                 default=Ethnicity.HAN)
    education = models.CharField(_("education"), max_length=12, blank=True,
                                 choices=Education.choices)
    stage = models.CharField(_("stage"), max_length=14, choices=c.Stage.choices,
                             default=c.Stage.APPLICANT, db_index=True)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    activist_on = models.DateField(_("activist since"), null=True, blank=True)
    candidate_on = models.DateField(_("development candidate since"), null=True, blank=True)
    probationary_on = models.DateField(_("probationary member since"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    is_farmer = models.BooleanField(_("farmer"), default=False)
    is_demo_household = models.BooleanField(_("member demonstration household"), default=False)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    batch_id = models.BigIntegerField(_("import batch"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["region_code", "org", "name"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [models.Index(fields=["region_code", "stage"])]
        constraints = bounds.constraints("party.PartyMember", *BOUNDS_MEMBER)

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = bounds.check(self, *BOUNDS_MEMBER)
        bounds.not_future(self, "birth_date", "applied_on", "activist_on", "candidate_on",
                          "probationary_on", "full_on", "left_on", errors=errors)
        bounds.raise_errors(errors)


class MemberPost(ScopedModel):
    """A post with duties (设岗定责) that a member holds for a period."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="posts",
                               verbose_name=_("member"))
    post = models.CharField(_("post"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["member", "-starts_on"]
        verbose_name = _("member post")
        verbose_name_plural = _("member posts")

    def __str__(self) -> str:
        return self.post


class ResponsibilityZone(ScopedModel):
    """A member's responsibility zone (党员责任区): the households or area they look after."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="zones",
                               verbose_name=_("member"))
    description = models.CharField(_("area"), max_length=200)
    households = models.ManyToManyField("poverty.Household", blank=True, related_name="+",
                                        verbose_name=_("households"))

    class Meta:
        verbose_name = _("responsibility zone")
        verbose_name_plural = _("responsibility zones")

    def __str__(self) -> str:
        return self.description


class Commitment(ScopedModel):
    """A member's public commitment (党员承诺), shown to villagers."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE,
                               related_name="commitments", verbose_name=_("member"))
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.CharField(_("commitment"), max_length=500)
    status = models.CharField(_("status"), max_length=14, choices=c.CommitmentStatus.choices,
                              default=c.CommitmentStatus.PLEDGED)
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)

    class Meta:
        ordering = ["-year", "member"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:40]


class Transfer(ScopedModel):
    """A membership transfer (组织关系转接): the sending org issues, the receiving org accepts.

    `region_code` is the sending org's; both sides see it through `scope_q`.
    """

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="transfers",
                               verbose_name=_("member"))
    from_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("sending organization"))
    to_org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("receiving organization"))
    to_region_code = models.CharField(_("receiving region"), max_length=12, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=c.TransferState.choices,
                             default=c.TransferState.ISSUED)
    issued_on = models.DateField(_("issued on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("membership transfer")
        verbose_name_plural = _("membership transfers")

    def __str__(self) -> str:
        return f"{self.member} {self.from_org} → {self.to_org}"

    @staticmethod
    def scope_q(code: str) -> Q:
        return within(code) | within(code, "to_region_code")


class ServiceStation(ScopedModel):
    """A service station for mobile members (流动党员服务站), e.g. at the province's office in
    another city; `region_code` is the region that runs it."""

    name = models.CharField(_("name"), max_length=100)
    host_unit = models.CharField(_("host unit"), max_length=100)
    location = models.CharField(_("location"), max_length=100)

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")

    def __str__(self) -> str:
        return self.name


class StationService(ScopedModel):
    """A service a station gave (服务记录)."""

    station = models.ForeignKey(ServiceStation, on_delete=models.CASCADE,
                                related_name="services", verbose_name=_("service station"))
    member = models.ForeignKey(PartyMember, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("member"))
    date = models.DateField(_("date"))
    service = models.CharField(_("service"), max_length=200)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("station service")
        verbose_name_plural = _("station services")

    def __str__(self) -> str:
        return self.service


class MobileMembership(ScopedModel):
    """A mobile (migrant) member's time away (流动党员): where, since when, who keeps contact."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="mobility",
                               verbose_name=_("member"))
    away_since = models.DateField(_("away since"))
    location = models.CharField(_("where"), max_length=100)
    reason = models.CharField(_("why"), max_length=100, blank=True)
    station = models.ForeignKey(ServiceStation, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="members", verbose_name=_("service station"))
    contact = models.ForeignKey(PartyMember, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("contact in the home branch"))
    has_activity_card = models.BooleanField(_("activity card issued"), default=False)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)

    class Meta:
        ordering = ["-away_since"]
        verbose_name = _("mobile membership")
        verbose_name_plural = _("mobile memberships")

    def __str__(self) -> str:
        return f"{self.member} @ {self.location}"


class CareVisit(ScopedModel):
    """A member-care visit (党员关怀) to an old, ill or poor member and the help given."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="care",
                               verbose_name=_("member"))
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=100)
    help_given = models.CharField(_("help given"), max_length=300)
    amount = models.DecimalField(_("amount (yuan)"), default=Decimal(0), **MONEY)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        constraints = bounds.constraints("party.CareVisit", *bounds.not_negative("amount"))

    def __str__(self) -> str:
        return f"{self.member} {self.date}"

    def clean(self):
        bounds.raise_errors(bounds.check(self, *bounds.not_negative("amount")))


class OrgMeeting(ScopedModel):
    """A meeting of organization life (三会一课 / 主题党日)."""

    org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="meetings",
                            verbose_name=_("organization"))
    kind = models.CharField(_("kind"), max_length=12, choices=c.MeetingKind.choices)
    date = models.DateField(_("date"), db_index=True)
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    expected = models.PositiveIntegerField(_("members expected"), default=0)
    topics = models.CharField(_("topics"), max_length=500)
    resolutions = models.TextField(_("resolutions"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("organization meeting")
        verbose_name_plural = _("organization meetings")
        constraints = bounds.constraints("party.OrgMeeting", bounds.at_most("attendance",
                                                                           "expected"))

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    def clean(self):
        errors = bounds.check(self, bounds.at_most("attendance", "expected"))
        bounds.raise_errors(bounds.not_future(self, "date", errors=errors))


class Committee(ScopedModel):
    """A village committee (两委): the branch committee or the villagers' committee, per term."""

    kind = models.CharField(_("committee"), max_length=10, choices=c.CommitteeKind.choices)
    org = models.ForeignKey(PartyOrg, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="committees", verbose_name=_("party organization"))
    term_starts_on = models.DateField(_("term from"))
    term_ends_on = models.DateField(_("term to"), null=True, blank=True)

    class Meta:
        ordering = ["region_code", "kind", "-term_starts_on"]
        verbose_name = _("village committee")
        verbose_name_plural = _("village committees")
        constraints = bounds.constraints("party.Committee",
                                         bounds.at_least("term_ends_on", "term_starts_on"))

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.term_starts_on:%Y}"

    def clean(self):
        if self.term_ends_on and self.term_starts_on and self.term_ends_on < self.term_starts_on:
            raise ValidationError({"term_ends_on": _("The term cannot end before it starts.")})
        # The committee's party organization is the village's own (or a joint one covering it).
        org = self.org
        if org is None or not self.region_code:
            return
        if org.region_code != self.region_code and not org.covered_regions.filter(
                region_code=self.region_code).exists():
            raise ValidationError({"org": _("The party organization must be the one of this "
                                            "village, or a joint one covering it.")})


class Cadre(ScopedModel):
    """A village cadre (村干部), party member or not."""

    personal_fields = {"id_number": ID_NUMBER, "phone": PHONE}

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True,
                                 validators=[validate_id_number])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    education = models.CharField(_("education"), max_length=12, blank=True,
                                 choices=Education.choices)
    is_college_graduate = models.BooleanField(_("college graduate"), default=False)
    member = models.OneToOneField(PartyMember, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="cadre", verbose_name=_("party member"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("village cadre")
        verbose_name_plural = _("village cadres")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        bounds.raise_errors(bounds.not_future(self, "birth_date"))


class CadrePosition(ScopedModel):
    """A cadre's post on a committee (职务) for a period; 一肩挑 and cross-membership are derived
    from these rows, never typed in."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="positions",
                              verbose_name=_("cadre"))
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="positions",
                                  verbose_name=_("committee"))
    post = models.CharField(_("post"), max_length=20, choices=c.Post.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "post"]
        verbose_name = _("cadre position")
        verbose_name_plural = _("cadre positions")

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_post_display()}"


class CadreCareer(ScopedModel):
    """An outstanding village secretary's move up (优秀村干部考录乡镇公务员 / 进入乡镇领导班子)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="careers",
                              verbose_name=_("cadre"))
    move = models.CharField(_("move"), max_length=20, choices=c.CareerMove.choices)
    date = models.DateField(_("date"))
    new_post = models.CharField(_("new post"), max_length=100)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("cadre career record")
        verbose_name_plural = _("cadre career records")

    def __str__(self) -> str:
        return f"{self.cadre} {self.new_post}"


class CadreWelfare(ScopedModel):
    """A cadre's pay and insurance in a year (村干部报酬和保障)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="welfare",
                              verbose_name=_("cadre"))
    year = models.PositiveSmallIntegerField(_("year"))
    pay = models.DecimalField(_("pay (yuan)"), default=Decimal(0), **MONEY)
    pension_insurance = models.BooleanField(_("pension insurance"), default=False)
    medical_insurance = models.BooleanField(_("medical insurance"), default=False)
    severance = models.DecimalField(_("severance on leaving (yuan)"), default=Decimal(0),
                                    **MONEY)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("cadre welfare")
        verbose_name_plural = _("cadre welfare")
        constraints = [models.UniqueConstraint(fields=["cadre", "year"],
                                               name="welfare_once_per_cadre_year"),
                       *bounds.constraints("party.CadreWelfare",
                                           *bounds.not_negative("pay", "severance"))]

    def __str__(self) -> str:
        return f"{self.cadre} {self.year}"

    def clean(self):
        errors = bounds.check(self, *bounds.not_negative("pay", "severance"))
        bounds.raise_errors(bounds.not_future(self, "year", errors=errors))


BOUNDS_ELECTION = (bounds.at_most("members_present", "members_eligible"),
                   bounds.at_least("seats", value=1))


class Election(ScopedModel):
    """An election after two recommendations (两推一选) of a branch committee."""

    committee_kind = models.CharField(_("committee"), max_length=10,
                                      choices=c.CommitteeKind.choices,
                                      default=c.CommitteeKind.BRANCH)
    org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="elections",
                            verbose_name=_("party organization"))
    state = models.CharField(_("state"), max_length=16, choices=c.ElectionState.choices,
                             default=c.ElectionState.NOMINATION)
    seats = models.PositiveSmallIntegerField(_("seats"), default=3)
    members_eligible = models.PositiveIntegerField(_("members eligible to vote"), default=0)
    members_present = models.PositiveIntegerField(_("members present"), default=0)
    public_voters = models.PositiveIntegerField(_("public voters"), default=0)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    result_committee = models.ForeignKey(Committee, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("resulting committee"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = bounds.constraints("party.Election", *BOUNDS_ELECTION)

    def __str__(self) -> str:
        return f"{self.org} {self.get_state_display()}"

    def clean(self):
        errors = bounds.check(self, *BOUNDS_ELECTION)
        bounds.raise_errors(bounds.not_future(self, "held_on", errors=errors))


class Candidate(ScopedModel):
    """A nominee in an election (候选人) with the votes of each round."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates",
                                 verbose_name=_("election"))
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("member"))
    member_votes = models.PositiveIntegerField(_("recommendation votes of members"), default=0)
    public_votes = models.PositiveIntegerField(_("recommendation votes of the public"), default=0)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    ballot_votes = models.PositiveIntegerField(_("election votes"), default=0)
    elected = models.BooleanField(_("elected"), default=False)
    post = models.CharField(_("post"), max_length=20, blank=True, choices=c.Post.choices)

    class Meta:
        ordering = ["election", "-ballot_votes", "-member_votes"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["election", "member"],
                                               name="candidate_once_per_election")]

    def __str__(self) -> str:
        return str(self.member)

    def clean(self):
        # Votes are bounded by the election's own counts (another row: no constraint can say it).
        election = self.election if self.election_id else None
        if election is None:
            return
        errors: dict[str, list[str]] = {}
        for field, limit in (("member_votes", "members_eligible"),
                             ("public_votes", "public_voters"),
                             ("ballot_votes", "members_present")):
            value, most = getattr(self, field), getattr(election, limit)
            # A count the election has not recorded yet (0) bounds nothing.
            if most and value is not None and value > most:
                errors[field] = [_("%(field)s cannot exceed the election's %(other)s "
                                   "(%(limit)s).") % {
                    "field": capfirst(self._meta.get_field(field).verbose_name),
                    "other": Election._meta.get_field(limit).verbose_name, "limit": most}]
        bounds.raise_errors(errors)
