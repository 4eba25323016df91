"""Rollups (汇总): every indicator's value for every region at every level."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rollup(models.Model):
    """One indicator's value for one region and period (指标汇总值).

    `value` counts everything under the region, `own` only the records whose own region is
    this one (a county's organ branches); an incremental refresh moves `own` and adds the
    difference to every ancestor. Derived data: rebuilt from the records, never edited, so
    it is not in the change log. `period` is a year, or 0 for "now" (as of `refreshed_at`).
    """

    region_field = "region_code"

    region_code = models.CharField(_("region code"), max_length=12)
    level = models.PositiveSmallIntegerField(_("level"))
    period = models.PositiveSmallIntegerField(_("period"), default=0)
    indicator = models.CharField(_("indicator"), max_length=40)
    key = models.CharField(_("breakdown"), max_length=30, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    own = models.DecimalField(_("own value"), max_digits=20, decimal_places=2, null=True)
    refreshed_at = models.DateTimeField(_("refreshed"))

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["region_code", "indicator", "key", "period"], name="rollup_once")]
        indexes = [models.Index(fields=["indicator", "level", "period"])]
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")

    def __str__(self) -> str:
        return f"{self.region_code} {self.indicator}[{self.key}] {self.period}: {self.value}"
