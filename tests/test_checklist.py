"""The required steps of CONTRIBUTING's checklist for adding a model, checked for every model of
every domain app: a policy rule, a sample, page tests, an API with its tests, and an import
registry, an indicator and demo data unless the model is exempted below with its reason.

An exemption is a decision written down: a new model fails here until it has each step or a
line saying why it does not need it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util

import pytest
from django.apps import apps

from fupin.api import api
from fupin.core.demo import GENERATORS, autodiscover
from fupin.core.policy import RULES
from fupin.core.testing import SAMPLES, ReadOnlyModelViewTests, _discover_samples
from fupin.core.testing_api import ModelAPITests

DOMAIN_APPS = ("poverty", "party", "assistance", "training", "democracy", "supervision")

# Records that hang off another one and have no page or API of their own: they are shown,
# changed and tested through their parent's.
NESTED = {
    "party.coveredregion": "a joint organization's covered villages, edited on its page",
    "poverty.procedurestep": "a procedure's steps, taken by the procedure's actions",
}

# Not scoped to a region, so the generic in-scope/out-of-scope tests do not apply.
UNSCOPED = {
    "poverty.povertyline": "province-wide yearly data: fupin/poverty/tests/test_lines.py",
}

NO_REGISTRY = {
    "poverty.povertyline": "a handful of rows a year, typed on its page by the province",
    "poverty.villageprofile": "loaded with the region tree and the yearly village survey",
    "poverty.person": "imported with its household (the households registry has both)",
    "poverty.incomerecord": "written by the households registry's income columns",
    "poverty.procedure": "a workflow: steps are taken one by one, never bulk-loaded",
    "poverty.crosschecklead": "made by `fupin crosscheck` from other registries' files",
    "party.memberpost": "a few posts per branch, set on the member page",
    "party.responsibilityzone": "a few per branch, set on the member page",
    "party.commitment": "yearly text per member, typed on the member page",
    "party.transfer": "a workflow between two organizations (actions)",
    "party.servicestation": "a few dozen in a province",
    "party.stationservice": "logged at the station as it happens",
    "party.mobilemembership": "registered by action when a member leaves",
    "party.carevisit": "logged as it happens",
    "party.orgmeeting": "logged as it happens (a meetings registry is issue 15's)",
    "party.committee": "made by elections and appointments (actions)",
    "party.cadre": "to come with the cadre-posts import of issue 15",
    "party.cadreposition": "to come with the cadre-posts import of issue 15",
    "party.cadrecareer": "a cadre's history, typed on the cadre page",
    "party.cadrewelfare": "yearly, typed on the cadre page",
    "party.election": "a workflow (actions)",
    "party.candidate": "made inside an election (actions)",
    "assistance.presence": "monthly, recorded by action on the team page",
    "assistance.worklogentry": "written as it happens by the team",
    "assistance.contactpoint": "a few per leading cadre",
    "assistance.contactvisit": "logged as it happens",
    "assistance.branchpairing": "a few thousand, made on the page by organization departments",
    "assistance.villageplan": "one per key village, written on its page",
    "assistance.planfunding": "part of a village plan",
    "assistance.planproject": "part of a village plan",
    "assistance.enterprise": "a few hundred per province",
    "assistance.industryproject": "a few hundred per province",
    "assistance.industrybenefit": "per household of a project, on the project page",
    "assistance.resettlementsite": "a few hundred per province",
    "assistance.relocation": "by household, on the site page",
    "assistance.chunhuienvoy": "a few thousand, on their pages",
    "assistance.chunhuicontribution": "logged as it happens",
}

NO_INDICATOR = {
    "poverty.povertyline": "a parameter of indicators, not a count",
    "poverty.incomerecord": "incomes reach the figures through the household's summary",
    "poverty.crosschecklead": "leads for review, not figures",
    "party.memberpost": "not among the programme's published figures",
    "party.responsibilityzone": "not among the programme's published figures",
    "party.commitment": "not among the programme's published figures",
    "party.transfer": "a workflow record",
    "party.servicestation": "not among the programme's published figures",
    "party.stationservice": "not among the programme's published figures",
    "party.mobilemembership": "not among the programme's published figures",
    "party.carevisit": "not among the programme's published figures",
    "party.cadrecareer": "a cadre's history",
    "party.cadrewelfare": "not among the programme's published figures",
    "party.election": "a workflow record",
    "party.candidate": "a workflow record",
    "assistance.workteammember": "team coverage counts teams, not members",
    "assistance.presence": "shown per team, not rolled up",
    "assistance.worklogentry": "free text",
    "assistance.contactpoint": "not among the programme's published figures",
    "assistance.contactvisit": "not among the programme's published figures",
    "assistance.villageplan": "not among the programme's published figures",
    "assistance.planfunding": "not among the programme's published figures",
    "assistance.planproject": "not among the programme's published figures",
    "assistance.enterprise": "not among the programme's published figures",
    "assistance.industryproject": "not among the programme's published figures",
    "assistance.industrybenefit": "not among the programme's published figures",
    "assistance.resettlementsite": "not among the programme's published figures",
    "assistance.relocation": "not among the programme's published figures",
    "assistance.chunhuienvoy": "not among the programme's published figures",
    "assistance.chunhuicontribution": "not among the programme's published figures",
}

# Demo data: every model gets rows from `fupin demo` unless exempted with its reason.
NO_DEMO = {
    "party.transfer": "members moving between organizations: not in the demo yet",
    "poverty.crosschecklead": "made by `fupin crosscheck` from other departments' files",
}


def domain_models() -> list[str]:
    return sorted(model._meta.label_lower for config in apps.get_app_configs()
                  if config.label in DOMAIN_APPS for model in config.get_models())


def subclasses(base) -> list[type]:
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def import_tests(name: str) -> None:
    for config in apps.get_app_configs():
        if config.label in DOMAIN_APPS:
            module = f"{config.name}.tests.{name}"
            if importlib.util.find_spec(module):
                importlib.import_module(module)


MODELS = domain_models()


def test_exemptions_name_real_models_and_give_reasons():
    for table in (NESTED, UNSCOPED, NO_REGISTRY, NO_INDICATOR, NO_DEMO):
        assert set(table) <= set(MODELS), set(table) - set(MODELS)
        assert all(reason.strip() for reason in table.values())


@pytest.mark.parametrize("label", MODELS)
def test_policy_rule_and_sample(label):
    assert label in RULES, f"{label}: add its line to RULES in fupin/core/policy.py"
    if label not in NESTED:
        _discover_samples()
        assert label in SAMPLES, f"{label}: add @sample({label!r}) in its app's testing.py"


@functools.cache
def declared() -> dict[str, set[str]]:
    import_tests("test_views")
    import_tests("test_api")
    schema = api.get_openapi_schema()
    return {
        "pages": {c.model._meta.label_lower for c in subclasses(ReadOnlyModelViewTests)
                  if getattr(c, "model", None) is not None},
        "api": {op.get("x-policy", {}).get("model")
                for item in schema["paths"].values() for op in item.values()},
        "api tests": {c.model._meta.label_lower for c in subclasses(ModelAPITests)
                      if getattr(c, "model", None) is not None},
    }


@pytest.mark.parametrize("label", [m for m in MODELS if m not in NESTED])
def test_page_and_api_tests(label):
    found = declared()
    if label not in UNSCOPED:
        assert label in found["pages"], \
            f"{label}: a ModelViewTests subclass in its app's tests/test_views.py"
    assert label in found["api"], f"{label}: crud(...) in its app's api.py"
    if label not in UNSCOPED:
        assert label in found["api tests"], \
            f"{label}: a ModelAPITests subclass in its app's tests/test_api.py"


@pytest.mark.parametrize("label", MODELS)
def test_import_registry_or_a_reason(label):
    from fupin.ingest.registry import all_registries

    registered = {r.model._meta.label_lower for r in all_registries()
                  if getattr(r, "model", None) is not None}
    assert (label in registered) != (label in NO_REGISTRY or label in NESTED), (
        f"{label}: declare a registry in its app's ingest.py, or give the reason in NO_REGISTRY"
        if label not in registered else f"{label} has a registry: drop its exemption")


@pytest.mark.parametrize("label", MODELS)
def test_indicator_or_a_reason(label):
    from fupin.analytics.indicators import SOURCES

    feeds = {model for source in SOURCES for model in source.models}
    assert (label in feeds) != (label in NO_INDICATOR or label in NESTED), (
        f"{label}: an indicator source in fupin/analytics/indicators.py, or the reason in "
        "NO_INDICATOR" if label not in feeds else f"{label} feeds an indicator: drop its exemption")


def test_every_domain_app_has_a_demo_generator():
    autodiscover()
    apps_with_models = {label.split(".")[0] for label in MODELS}
    generating = {name.split(".")[0] for name in GENERATORS}
    assert apps_with_models <= generating, apps_with_models - generating



@pytest.fixture(scope="module")
def demo_counts(django_db_setup, django_db_blocker, tmp_path_factory):
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    from fupin.assistance.tests.test_demo import subset

    # Three counties of the real province, as the assistance demo tests take them: the
    # generators need real villages, townships and prefectures to spread over.
    with django_db_blocker.unblock(), transaction.atomic():
        path = tmp_path_factory.mktemp("regions") / "counties.csv"
        subset(path)
        call_command("regions", "import", str(path), stdout=StringIO())
        # The generators as `fupin demo` runs them, without its `migrate` (this database is
        # the test run's own, already migrated).
        from fupin.core.context import acting_as
        from fupin.core.demo import DemoContext, ordered

        ctx = DemoContext(scale=0.002, seed=2006, stdout=StringIO())
        for gen in ordered():
            with acting_as(None, label="cli:demo", scope_checks=False):
                gen.func(ctx)
        counts = {label: apps.get_model(label)._base_manager.count() for label in MODELS}
        transaction.set_rollback(True)
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("label", MODELS)
def test_demo_fills_every_model_or_a_reason(demo_counts, label):
    assert (demo_counts[label] > 0) != (label in NO_DEMO or label in NESTED and
                                        demo_counts[label] == 0), (
        f"{label}: the demo makes none; add it to its app's demo, or the reason in NO_DEMO"
        if demo_counts[label] == 0 else f"{label} has demo rows: drop its exemption")
