"""Public notices: the printable page and the PDF show names and the decision, never ID
numbers, phones, bank accounts or health; other regions get 404."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import include, path
from django.utils import translation

import fupin.urls as root_urls
from fupin.core import pdf
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, COUNTY_B, TOWNSHIP_A, VILLAGE_A, client_for
from fupin.poverty import actions, notices
from fupin.poverty import urls as poverty_urls
from fupin.poverty.choices import Health
from fupin.poverty.models import Person
from fupin.poverty.testing import make_household

# The notice URLs under the poverty namespace, whether or not poverty/urls.py includes them yet.
_names = {p.name for p in poverty_urls.urlpatterns}
urlpatterns = [p for p in root_urls.urlpatterns if getattr(p, "namespace", None) != "poverty"] + [
    path("poverty/", include(([*poverty_urls.urlpatterns,
                               *[p for p in notices.urlpatterns if p.name not in _names]],
                              "poverty")))]
pytestmark = [pytest.mark.urls(__name__)]

D = datetime.date(2024, 3, 1)


def day(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


@pytest.fixture
def setup(regions, make_user):
    class S:
        village = make_user(Role.VILLAGE, VILLAGE_A)
        township = make_user(Role.TOWNSHIP, TOWNSHIP_A)
        # Pages follow the user's language (zh-Hans by default): these two read English.
        county = make_user(Role.POVERTY_OFFICE, COUNTY_A, language="en")
        viewer = make_user(Role.VIEWER, COUNTY_A, language="en")
        stranger = make_user(Role.POVERTY_OFFICE, COUNTY_B)

    s = S
    s.household = make_household(VILLAGE_A, members=3, main_cause="skills")
    s.persons = list(Person.objects.filter(household=s.household).order_by("id"))
    s.procedure = actions.start_procedure(s.household, "identification", user=s.village, on=D)
    actions.take_step(s.procedure, "village_appraisal", user=s.village, on=day(1))
    actions.take_step(s.procedure, "first_notice", user=s.village, on=day(2))
    return s


def secrets(s) -> list[str]:
    """The sample household's personal values, raw and in both languages' labels."""
    values = [s.household.phone, s.household.bank_account]
    for person in s.persons:
        values += [person.id_number, person.id_number[:6] + "*"]
    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            values += [str(Health.CHRONIC.label), str(Health(s.persons[0].health).label)]
    assert s.persons[0].health == Health.CHRONIC  # the sample head has a chronic illness
    return values


def url(s, suffix="", step=None):
    name = "poverty:notice_pdf" if suffix == "pdf" else "poverty:notice"
    from django.urls import reverse

    return reverse(name, kwargs={"pk": s.procedure.pk}) + (f"?step={step}" if step else "")


def test_notice_page_shows_names_and_period_never_personal_data(setup):
    s = setup
    response = client_for(s.viewer).get(url(s))
    assert response.status_code == 200
    html = response.content.decode()
    notice = response.context["notice"]
    assert notice.step.code == "first_notice" and not notice.draft
    for person in s.persons:
        assert person.name in html
    assert s.household.number in html
    assert s.household.head_name in html
    assert "2024-03-03" in html and "2024-03-09" in html  # 7 days from the day it was posted
    assert "和平村委会" in html  # the village, also the issuing body
    assert "@media print" in html
    for value in secrets(s):
        assert value not in html, value


def test_notice_in_chinese_names_the_village_committee(setup):
    s = setup
    response = client_for(s.village).get(url(s))
    assert response.status_code == 200
    notice = response.context["notice"]
    assert notice.issuer == "和平村委会"
    assert notice.heading  # translated or not, the page renders


def test_default_is_the_latest_posted_notice_and_others_are_drafts(setup):
    s = setup
    client = client_for(s.county)
    assert client.get(url(s)).context["notice"].step.code == "first_notice"
    response = client.get(url(s, step="second_notice"))
    assert response.status_code == 200
    assert response.context["notice"].draft
    assert b'data-testid="notice-draft"' in response.content
    actions.take_step(s.procedure, "township_check", user=s.township, on=day(9))
    actions.take_step(s.procedure, "second_notice", user=s.township, on=day(10))
    notice = client.get(url(s)).context["notice"]
    assert notice.step.code == "second_notice" and not notice.draft
    assert notice.start == day(10) and notice.end == day(16)


def test_announcement_after_approval(setup):
    s = setup
    actions.take_step(s.procedure, "township_check", user=s.township, on=day(9))
    actions.take_step(s.procedure, "second_notice", user=s.township, on=day(10))
    actions.take_step(s.procedure, "county_approval", user=s.county, on=day(17))
    response = client_for(s.county).get(url(s, step="county_approval"))
    notice = response.context["notice"]
    assert notice.step.notice == "announcement" and notice.issued_on == day(17)
    assert notice.issuer == "南明区 poverty alleviation and development office"
    assert ("Decision", "Identified as a registered poor household") in notice.fields


def test_a_step_that_posts_no_notice_is_404(setup):
    s = setup
    client = client_for(s.village)
    assert client.get(url(s, step="township_check")).status_code == 404
    assert client.get(url(s, step="nonsense")).status_code == 404


def test_out_of_scope_is_404(setup):
    s = setup
    client = client_for(s.stranger)
    assert client.get(url(s)).status_code == 404
    assert client.get(url(s, "pdf")).status_code == 404


def test_anonymous_is_sent_to_login(setup):
    from django.test import Client

    response = Client().get(url(setup))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- PDF ----------------------------------------------------------------------------------------
def pdf_text(content: bytes) -> str:
    """The text of a PDF, read by pypdf through the fonts' ToUnicode maps (a PDF whose text
    cannot be read back is a failure too)."""
    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return text.replace("\x00", "")  # fpdf2's two-byte ToUnicode targets read as UTF-16 pairs


def test_pdf_is_a_pdf_without_personal_data(setup):
    s = setup
    try:
        pdf.find_font()
    except pdf.PdfUnavailable:
        pytest.fail("no CJK font on this machine: `make install` installs Debian's fonts-noto-cjk")
    response = client_for(s.viewer).get(url(s, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    compact = re.sub(r"\s+", "", text)
    assert s.household.head_name in compact  # the extractor reads the PDF's text
    assert s.household.number in compact
    for person in s.persons:
        assert person.name in compact
    for value in secrets(s):
        assert value not in compact, value
        assert value.encode() not in response.content


def test_pdf_without_a_font_says_what_to_install(setup, monkeypatch, settings):
    s = setup
    settings.NOTICE_FONT = "/nonexistent/font.ttc"
    client = client_for(s.viewer)
    response = client.get(url(s, "pdf"))
    assert response.status_code == 302
    assert response["Location"] == url(s, step="first_notice")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "fonts-noto-cjk" in page.content.decode()
    settings.NOTICE_FONT = ""
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    with pytest.raises(pdf.PdfUnavailable):
        pdf.find_font()


def test_a_font_without_chinese_is_not_used(setup, settings):
    settings.NOTICE_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    with pytest.raises(pdf.PdfUnavailable):
        pdf.find_font()


def test_county_and_viewer_roles_see_the_notice(setup):
    s = setup
    for user in (s.village, s.township, s.county, s.viewer):
        assert client_for(user).get(url(s)).status_code == 200


@pytest.mark.parametrize("role", Role.ALL)
def test_every_role_in_and_out_of_scope(regions, make_user, role):
    """What the access-matrix test will check once poverty/urls.py includes the notices: the
    sample procedure of the matrix (no steps yet) gives a draft page, and the PDF answers 200
    (or 302 to the page when the server lacks a CJK font)."""
    from django.urls import reverse

    from fupin.core.policy import can
    from fupin.core.testing import VILLAGE_B, sample_for
    from fupin.poverty.models import Procedure

    user = make_user(role, COUNTY_A)
    client = client_for(user)
    inside = sample_for("poverty.procedure", VILLAGE_A, user)
    outside = sample_for("poverty.procedure", VILLAGE_B, None)
    allowed = can(user, Procedure, "view")
    for name in ("poverty:notice", "poverty:notice_pdf"):
        status = client.get(reverse(name, kwargs={"pk": inside.pk})).status_code
        assert status in ({200, 302} if allowed else {403}), (name, role, status)
        status = client.get(reverse(name, kwargs={"pk": outside.pk})).status_code
        assert status == (404 if allowed else 403), (name, role, status)
