"""The generic pieces of detail and form pages (core.views.Related, RelatedDetailView,
safe_next, prefilled; core.forms.lookup) on real pages: related lists pass through the policy,
choices offer only what the user may pick."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from fupin.core.context import acting_as
from fupin.core.policy import Role
from fupin.core.testing import (
    COUNTY_A,
    COUNTY_B,
    PROVINCE,
    TOWNSHIP_A,
    VILLAGE_A,
    VILLAGE_B,
    client_for,
    make_user,
)
from fupin.core.views import Related
from fupin.party import models as m
from fupin.party.testing import make_member, make_org, make_station

pytestmark = pytest.mark.django_db


def joint_org():
    """A township's joint org that also covers a village of county B: seen in both counties."""
    org = make_org(TOWNSHIP_A, name="联建党委", basis="joint_villages", kind="committee")
    m.CoveredRegion.objects.create(org=org, region_code=VILLAGE_A)
    m.CoveredRegion.objects.create(org=org, region_code=VILLAGE_B)
    return org


def test_related_needs_a_relation():
    with pytest.raises(ImproperlyConfigured):
        Related(m.PartyMember)
    with pytest.raises(ImproperlyConfigured):
        Related(m.PartyMember, "org", where=lambda org: None)


def test_related_rows_are_those_the_user_may_see(regions):
    org = joint_org()
    inside = make_member(TOWNSHIP_A, org=org, name="本乡党员")
    related = Related(m.PartyMember, "org")
    township, other_county = make_user(Role.ORG_DEPT, TOWNSHIP_A), make_user(Role.ORG_DEPT,
                                                                             COUNTY_B)
    assert list(related.rows(org, township)) == [inside]
    assert not related.rows(org, other_county).exists()  # the org yes, its members no
    viewer = make_user(Role.VIEWER, TOWNSHIP_A)
    assert related.rows(org, viewer).count() == 1
    assert not related.rows(org, viewer, "change").exists()  # the action is checked too


def test_out_of_scope_related_records_stay_off_the_detail_page(regions):
    org = joint_org()
    make_member(TOWNSHIP_A, org=org, name="本乡党员")
    child = make_org(VILLAGE_A, name="和平村党支部", parent=org)
    far_child = make_org(VILLAGE_B, name="远方村党支部", parent=org)
    with acting_as(None, label="test"):
        m.OrgMeeting.objects.create(org=org, region_code=org.region_code, kind="committee",
                                    date=datetime.date(2025, 6, 1), attendance=5, expected=5,
                                    topics="研究产业")
    # A county-B official sees the joint org (it covers one of their villages) but not its
    # members, meetings or the township's own branch: those belong to county A.
    page = client_for(make_user(Role.ORG_DEPT, COUNTY_B)).get(org.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "本乡党员" not in html and "研究产业" not in html and child.name not in html
    assert far_child.name in html  # their own village's branch is listed
    assert page.context["related"]["partymember"].count() == 0
    # The township official sees all of it.
    html = client_for(make_user(Role.ORG_DEPT, TOWNSHIP_A)).get(org.get_absolute_url()
                                                                 ).content.decode()
    assert "本乡党员" in html and "研究产业" in html and child.name in html
    assert far_child.name not in html
    assert 'data-testid="section-partymember"' in html
    assert 'data-testid="record-meeting"' in html


def test_member_page_lists_its_records_with_prefilled_add_buttons(regions):
    member = make_member(VILLAGE_A, name="李党员")
    with acting_as(None, label="test"):
        m.Commitment.objects.create(member=member, region_code=member.region_code, year=2026,
                                    text="带动三户发展食用菌")
    client = client_for(make_user(Role.ORG_DEPT, COUNTY_A))
    html = client.get(member.get_absolute_url()).content.decode()
    assert "带动三户发展食用菌" in html
    add = reverse("party:commitment_add")
    assert f'{add}?member={member.pk}&amp;next=' in html
    assert 'data-testid="advance-stage"' not in html  # a full member has no next stage
    form = client.get(f"{add}?member={member.pk}").context["form"]
    assert form.initial["member"] == member
    viewer = client_for(make_user(Role.VIEWER, COUNTY_A)).get(member.get_absolute_url())
    assert add not in viewer.content.decode() and not viewer.context["actions"]


def test_transfer_page_offers_accept_only_to_those_who_may_change_it(regions):
    member = make_member(VILLAGE_A, stage="full")
    target = make_org(VILLAGE_B, name="远方村党支部")
    with acting_as(None, label="test"):
        transfer = m.Transfer.objects.create(
            member=member, from_org=member.org, to_org=target, region_code=VILLAGE_A,
            to_region_code=VILLAGE_B, issued_on=datetime.date(2025, 6, 1))
    receiving = client_for(make_user(Role.ORG_DEPT, COUNTY_B)).get(transfer.get_absolute_url())
    assert 'data-testid="accept"' in receiving.content.decode()
    viewer = client_for(make_user(Role.VIEWER, COUNTY_B)).get(transfer.get_absolute_url())
    assert viewer.status_code == 200 and 'data-testid="accept"' not in viewer.content.decode()


def test_next_is_followed_only_inside_the_site(regions):
    org = make_org(VILLAGE_A)
    client = client_for(make_user(Role.ORG_DEPT, COUNTY_A))
    data = {"kind": "committee", "date": "2025-06-20", "attendance": 5, "expected": 5,
            "topics": "研究分红"}
    url = reverse("party:org_meeting", args=[org.pk])
    away = client.post(f"{url}?next=https://example.org/", data)
    assert away.status_code == 302 and away["Location"] == org.get_absolute_url()
    back = client.post(f"{url}?next=/party/shortfalls/", data)
    assert back["Location"] == "/party/shortfalls/"


# --- what a county user is offered when transferring a member ----------------------------------
def transfer_page(user, member):
    return client_for(user).get(reverse("party:member_transfer", args=[member.pk]))


def test_transfer_form_suggests_only_the_users_orgs_and_takes_any_by_code(regions):
    member = make_member(VILLAGE_A, stage="full")
    near = make_org(TOWNSHIP_A, name="本乡党委")
    far = make_org(VILLAGE_B, name="远方村党支部")
    user = make_user(Role.ORG_DEPT, COUNTY_A)
    page = transfer_page(user, member)
    html = page.content.decode()
    field = page.context["form"].fields["to_org"]
    # No select of the province's organizations: a text box with the user's own as
    # suggestions; the other county's org is neither listed nor named.
    assert '<select name="to_org"' not in html and 'list="id_to_org_suggestions"' in html
    assert f'value="{near.code}"' in html and "本乡党委" in html
    assert far.code not in html and "远方村党支部" not in html
    assert f'value="{member.org.code}"' not in html  # not to its own org
    assert [code for code, _name in field.widget.suggestions] == [near.code]
    # The member moves to another county: the receiving org is typed by its code.
    url = reverse("party:member_transfer", args=[member.pk])
    response = client_for(user).post(url, {"to_org": f" {far.code} ", "on": "2025-06-01"})
    assert response.status_code == 302
    transfer = m.Transfer.objects.get(member=member)
    assert transfer.to_org == far and transfer.to_region_code == VILLAGE_B


def test_transfer_form_takes_a_unique_name_and_refuses_an_ambiguous_one(regions):
    from fupin.party.forms import IssueTransferForm

    member = make_member(VILLAGE_A, stage="full")
    make_org(VILLAGE_B, name="同名村党支部")
    twin = make_org("520302001002", name="同名村党支部")
    unique = make_org(COUNTY_B, name="远方县委组织部机关支部")
    user = make_user(Role.ORG_DEPT, COUNTY_A)
    form = IssueTransferForm({"to_org": "远方县委组织部机关支部", "on": "2025-06-01"},
                             obj=member, user=user)
    assert form.is_valid() and form.cleaned_data["to_org"] == unique
    form = IssueTransferForm({"to_org": "同名村党支部", "on": "2025-06-01"}, obj=member,
                             user=user)
    assert not form.is_valid() and "to_org" in form.errors
    form = IssueTransferForm({"to_org": twin.code, "on": "2025-06-01"}, obj=member, user=user)
    assert form.is_valid() and form.cleaned_data["to_org"] == twin
    form = IssueTransferForm({"to_org": member.org.code, "on": "2025-06-01"}, obj=member,
                             user=user)
    assert not form.is_valid()  # its own org is no receiving org
    with acting_as(None, label="test"):
        m.PartyOrg.objects.filter(pk=unique.pk).update(dissolved_on=datetime.date(2024, 1, 1))
    form = IssueTransferForm({"to_org": unique.code, "on": "2025-06-01"}, obj=member, user=user)
    assert not form.is_valid()  # dissolved


def test_mobility_form_offers_stations_run_in_or_above_the_users_scope(regions):
    from fupin.party.forms import MobilityForm

    member = make_member(VILLAGE_A, stage="full")
    colleague = make_member(VILLAGE_A, org=member.org, name="同支部党员")
    stranger = make_member(VILLAGE_B, name="外县党员")
    province = make_station(PROVINCE, name="省驻深圳流动党员服务站")
    own = make_station(COUNTY_A, name="县驻广州流动党员服务站")
    other = make_station(COUNTY_B, name="外县驻上海流动党员服务站")
    form = MobilityForm(obj=member, user=make_user(Role.ORG_DEPT, COUNTY_A))
    assert set(form.fields["station"].queryset) == {province, own}
    assert other not in form.fields["station"].queryset
    contacts = set(form.fields["contact"].queryset)
    assert colleague in contacts and member not in contacts and stranger not in contacts


def test_many_orgs_are_chosen_by_code_among_those_in_scope(regions, monkeypatch):
    from fupin.core import forms
    from fupin.core.idnumber import make as make_id

    monkeypatch.setattr(forms, "SELECT_LIMIT", 1)
    own, neighbour = make_org(VILLAGE_A, name="和平村党支部"), make_org(TOWNSHIP_A)
    outside = make_org(VILLAGE_B, name="远方村党支部")
    client = client_for(make_user(Role.ORG_DEPT, COUNTY_A))
    add = reverse("party:partymember_add")
    page = client.get(add, {"org": own.pk}).content.decode()
    assert f'name="org" value="{own.code}"' in page and neighbour.name not in page
    data = {"name": "李党员", "ethnicity": "01",
            "id_number": make_id("520102", datetime.date(1980, 2, 3), 21, "M")}
    refused = client.post(add, {**data, "org": outside.code})
    assert "org" in refused.context["form"].errors
    assert client.post(add, {**data, "org": f" {own.code} "}).status_code == 302
    assert m.PartyMember.objects.get(name="李党员").org == own


def test_person_add_page_takes_the_household_it_was_opened_from(regions):
    from fupin.poverty.testing import make_household

    household, outside = make_household(VILLAGE_A), make_household(VILLAGE_B)
    client = client_for(make_user(Role.POVERTY_OFFICE, COUNTY_A))
    add = reverse("poverty:person_add")
    assert client.get(add, {"household": household.pk}).context["form"].initial[
        "household"] == household
    form = client.get(add, {"household": outside.pk}).context["form"]
    assert "household" not in form.initial and outside not in form.fields["household"].queryset


def detail_views():
    import importlib
    import inspect

    from django.views.generic import DetailView

    for app in ("poverty", "party", "assistance", "regions"):
        module = importlib.import_module(f"fupin.{app}.views")
        for _name, view in inspect.getmembers(module, inspect.isclass):
            if issubclass(view, DetailView) and view.__module__ == module.__name__ \
                    and "get_context_data" in vars(view):
                yield view


@pytest.mark.parametrize("view", list(detail_views()), ids=lambda view: view.__name__)
def test_detail_views_read_related_rows_only_through_related(view):
    """A detail page's related lists come from core.views.Related (restricted in one place),
    never from a queryset the view builds and restricts (or forgets to) by hand."""
    import inspect

    source = inspect.getsource(vars(view)["get_context_data"])
    for forbidden in ("restrict(", "_base_manager.filter", ".objects.filter(", ".objects.all("):
        assert forbidden not in source, f"{view.__name__} reads rows by hand: {forbidden}"
