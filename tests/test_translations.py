"""The Chinese catalogue is complete and compiled: no empty or fuzzy message, the committed .mo
holds exactly what the .po says, and every model's name is translated."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.utils import translation

import fupin

CATALOGUE = Path(fupin.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(CATALOGUE / "django.po"))


def _where(entry) -> str:
    return f"{entry.msgid!r} ({', '.join(f'{f}:{n}' for f, n in entry.occurrences[:2])})"


def test_no_message_is_empty(po):
    empty = [_where(e) for e in po if not e.obsolete and not e.translated() and not e.fuzzy]
    assert not empty, f"{len(empty)} untranslated messages in zh_Hans: {empty[:20]}"


def test_no_message_is_fuzzy(po):
    fuzzy = [_where(e) for e in po.fuzzy_entries()]
    assert not fuzzy, f"{len(fuzzy)} fuzzy messages in zh_Hans (check and drop the flag): {fuzzy[:20]}"


def _messages(catalogue) -> dict:
    """(context, msgid) -> translation(s), the part of a catalogue that gettext reads."""
    out = {}
    for e in catalogue:
        if e.obsolete or "fuzzy" in e.flags or not e.msgid:
            continue
        value = tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
        out[(e.msgctxt, e.msgid, e.msgid_plural or None)] = value
    return out


def test_compiled_catalogue_matches_the_po(po, tmp_path):
    """The .mo committed beside the .po is what compiling the .po gives (run msgfmt, see
    CONTRIBUTING); a file date says nothing after a git checkout, the contents do."""
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    committed = _messages(polib.mofile(str(CATALOGUE / "django.mo")))
    expected = _messages(polib.mofile(str(fresh)))
    missing = sorted(k[1] for k in expected.keys() - committed.keys())
    stale = sorted(k[1] for k in expected.keys() & committed.keys() if expected[k] != committed[k])
    extra = sorted(k[1] for k in committed.keys() - expected.keys())
    assert not (missing or stale or extra), (
        "django.mo is out of date: cd fupin/locale/zh_Hans/LC_MESSAGES && msgfmt -o django.mo "
        f"django.po (missing {missing[:10]}, changed {stale[:10]}, extra {extra[:10]})")


def test_every_model_name_is_translated():
    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("fupin."):
            continue
        for attr in ("verbose_name", "verbose_name_plural"):
            with translation.override("en"):
                english = str(getattr(model._meta, attr))
            with translation.override("zh-hans"):
                chinese = str(getattr(model._meta, attr))
            if chinese == english:
                untranslated.append(f"{model._meta.label}.{attr} = {english!r}")
    assert not untranslated, f"model names without a Chinese translation: {untranslated}"
