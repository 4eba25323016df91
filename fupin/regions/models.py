"""The five-level hierarchy (五级联动) of statistical division codes (统计用区划代码)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.managers import RestrictedManager
from fupin.regions import scope


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province")
    PREFECTURE = 2, _("prefecture")
    COUNTY = 3, _("county")
    TOWNSHIP = 4, _("township")
    VILLAGE = 5, _("village")


class Region(models.Model):
    """A region (区划): province, prefecture, county, township or village, by its 12-digit code."""

    region_field = "code"

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent"),
    )
    urban_rural_code = models.CharField(_("urban-rural classification code"), max_length=3,
                                        blank=True)

    objects = RestrictedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="region_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=(models.Q(level=1, parent__isnull=True)
                           | models.Q(level__gt=1, parent__isnull=False)),
                name="region_only_province_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return scope.prefix(self.code, self.level)

    def clean(self) -> None:
        errors = check_row(self.code, self.name, self.level, self.parent_id)
        if errors:
            raise ValidationError("; ".join(str(e) for e in errors))

    def ancestors(self) -> list[Region]:
        """From the province down to the parent, fetched in one query."""
        codes = scope.ancestor_codes(self.code)[:-1]
        found = {r.code: r for r in Region._base_manager.filter(code__in=codes)}
        return [found[c] for c in codes if c in found]

    def path(self) -> str:
        """'市 / 县 / 乡镇 / 村' without the province, so repeated names can be told apart."""
        names = [r.name for r in self.ancestors() if r.level > 1] + [self.name]
        return " / ".join(names)

    def descendants(self):
        lo, hi = scope.bounds(self.code)
        return Region._base_manager.filter(code__gt=lo, code__lte=hi)


def check_row(code, name, level, parent_code) -> list[str]:
    """Reasons a region row is bad, in the user's language (empty when it is fine)."""
    errors: list[str] = []
    if not scope.is_valid_code(code):
        return [str(_("malformed code %(code)r: it must be exactly 12 digits")) % {"code": code}]
    if not (name or "").strip():
        errors.append(str(_("empty name")))
    if level not in scope.LEVELS:
        errors.append(str(_("level %(level)r is not one of 1 to 5")) % {"level": level})
        return errors
    if not scope.is_well_nested(code, level):
        errors.append(str(_("code %(code)s does not have the zero padding of level %(level)s"))
                      % {"code": code, "level": level})
    if level == 1:
        if parent_code:
            errors.append(str(_("a province has no parent")))
    elif not parent_code:
        errors.append(str(_("a region of level %(level)s needs a parent")) % {"level": level})
    elif not scope.is_valid_code(parent_code):
        errors.append(str(_("malformed parent code %(code)r")) % {"code": parent_code})
    elif scope.level_of(parent_code) != level - 1:
        errors.append(str(_("level %(level)s is not one below its parent's level %(parent)s"))
                      % {"level": level, "parent": scope.level_of(parent_code)})
    elif scope.prefix(parent_code, level - 1) != code[: scope.PREFIX_LENGTH[level - 1]] or \
            not scope.is_well_nested(parent_code, level - 1):
        errors.append(str(_("code %(code)s is not nested in its parent %(parent)s"))
                      % {"code": code, "parent": parent_code})
    return errors


class RegionChange(models.Model):
    """A region change (区划变更) from the national code changes of a year.

    Each row moves one code to another (a rename keeps the code): a merge is several codes
    moved onto one, a split is a region's children moved under different new parents.
    """

    class Kind(models.TextChoices):
        RENAME = "rename", _("rename")
        MERGE = "merge", _("merge")
        SPLIT = "split", _("split")
        RECODE = "recode", _("re-code")

    region_field = "new_code"

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    old_code = models.CharField(_("old code"), max_length=12, db_index=True)
    new_code = models.CharField(_("new code"), max_length=12, db_index=True)
    old_name = models.CharField(_("old name"), max_length=100, blank=True)
    new_name = models.CharField(_("new name"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    rows_recoded = models.JSONField(_("rows re-coded per model"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    objects = RestrictedManager()

    class Meta:
        ordering = ["-applied_at", "id"]
        verbose_name = _("region change")
        verbose_name_plural = _("region changes")

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.old_code} → {self.new_code}"
