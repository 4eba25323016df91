"""Every import registry, generically: its template opens with its headers, and a record of its
model exported and imported again changes nothing (the round trip is lossless); a registry
declared for a new model gets these tests without writing any."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from fupin.core.context import acting_as
from fupin.core.models import ChangeRecord
from fupin.core.testing import VILLAGE_A, sample_for
from fupin.ingest import exporting, pipeline
from fupin.ingest.registry import all_registries

pytestmark = pytest.mark.django_db
REGISTRIES = {registry.name: registry for registry in all_registries()}


@pytest.mark.parametrize("name", sorted(REGISTRIES))
def test_template_has_every_importable_header(regions, tmp_path, name):
    registry = REGISTRIES[name]
    path = exporting.write_template(registry, tmp_path / f"{name}.xlsx")
    header = next(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    wanted = [c.header for c in registry.columns if not c.export_only]
    assert [h for h in header if h in wanted] == wanted


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("name", sorted(REGISTRIES))
def test_export_then_import_changes_nothing(regions, tmp_path, name, suffix):
    registry = REGISTRIES[name]
    record = sample_for(registry.model._meta.label_lower, VILLAGE_A)
    out = exporting.export(registry, tmp_path / f"{name}{suffix}")
    assert out.rows >= 1, "the export holds the sample"
    before = (registry.model._base_manager.count(), ChangeRecord.objects.count())
    with acting_as(None, label="test:import"):
        result = pipeline.import_file(registry, out.path)
    assert not result.changed, result.counts
    assert (registry.model._base_manager.count(), ChangeRecord.objects.count()) == before
    assert registry.model._base_manager.filter(pk=record.pk).exists()
