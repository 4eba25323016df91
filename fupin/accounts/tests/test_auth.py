import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from fupin.accounts.models import ApiToken, User
from fupin.core.policy import Role
from fupin.core.testing import COUNTY_A, PASSWORD, VILLAGE_A, client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Assertions below read English messages; the default language is zh-Hans."""
    with translation.override("en"):
        yield


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_logout_and_home(regions):
    user = make_user(Role.TOWNSHIP, "520102001000")
    client = Client()
    assert client.get("/").status_code == 302
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "新华路街道".encode() in home.content
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_a_form_error_not_a_crash(regions):
    user = make_user(Role.VIEWER)
    response = login(Client(), user.username, "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_lockout_after_repeated_failures(regions, settings):
    user = make_user(Role.VIEWER)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "wrong")
    response = login(client, user.username, PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert b'data-testid="lockout"' in response.content
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2_by_default(settings, regions):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    assert make_password("x").startswith("argon2")


def test_security_headers_and_csp(regions):
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b'<meta charset="utf-8">' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_csrf_is_enforced(regions):
    user = make_user(Role.ADMIN)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/accounts/profile/", {"full_name": "x", "language": "en"})
    assert response.status_code == 403


def test_language_switch_is_remembered_on_the_user(regions):
    user = make_user(Role.VIEWER)
    client = client_for(user)
    assert client.get("/")["Content-Language"] == "zh-hans"
    client.post("/accounts/language/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert b'lang="en"' in response.content
    bad = client.post("/accounts/language/", {"language": "xx", "next": "https://evil.example/"})
    assert bad["Location"] == "/"


def test_password_change(regions):
    user = make_user(Role.VIEWER)
    client = client_for(user)
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Another-pass-2027",
        "new_password2": "Another-pass-2027"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-pass-2027")


def test_token_cli_and_bearer_auth(regions, capsys):
    user = make_user(Role.POVERTY_OFFICE, COUNTY_A)
    call_command("token", "create", user.username)
    key = capsys.readouterr().out.strip()
    assert key.startswith("fp_")
    assert not ApiToken.objects.filter(key_hash=key).exists()  # only the hash is stored
    client = Client(headers={"authorization": f"Bearer {key}"})
    me = client.get("/api/v1/accounts/me")
    assert me.status_code == 200 and me.json()["username"] == user.username
    assert Client(headers={"authorization": "Bearer fp_wrong"}).get(
        "/api/v1/accounts/me").status_code == 401
    with pytest.raises(CommandError, match="no user"):
        call_command("token", "create", "nobody")


def test_api_lists_only_regions_in_scope(regions):
    user = make_user(Role.TOWNSHIP, "520102001000")
    client = client_for(user)
    data = client.get("/api/v1/regions/").json()
    codes = {r["code"] for r in data["items"]}
    assert codes == {"520102001000", "520102001001", "520102001002"}
    assert client.get("/api/v1/regions/520302001001").status_code == 404
    assert client.get("/api/v1/regions/", {"level": 5}).json()["count"] == 2
    assert client.get("/api/v1/regions/", {"level": "x"}).status_code == 422


def test_openapi_docs_are_served(regions):
    client = client_for(make_user(Role.VIEWER))
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Fupin API"


def test_createuser_command(regions, tmp_path, capsys):
    pw = tmp_path / "pw"
    pw.write_text("a-Strong-pass-2026\n")
    call_command("createuser", "cadre1", "--role", "village", "--region", VILLAGE_A,
                 "--password-file", str(pw))
    user = User.objects.get(username="cadre1")
    assert user.role == "village" and user.check_password("a-Strong-pass-2026")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createuser", "cadre1", "--role", "village", "--region", VILLAGE_A)
    with pytest.raises(CommandError, match="no region"):
        call_command("createuser", "cadre2", "--role", "village", "--region", "999999999999")
    weak = tmp_path / "weak"
    weak.write_text("123\n")
    with pytest.raises(CommandError, match="password rejected"):
        call_command("createuser", "cadre3", "--role", "village", "--region", VILLAGE_A,
                     "--password-file", str(weak))
    assert not User.objects.filter(username__in=["cadre2", "cadre3"]).exists()


def test_user_form_rejects_bad_input_with_messages(regions):
    client = client_for(make_user(Role.ADMIN))
    response = client.post("/accounts/users/add/", {
        "username": "", "role": "nonsense", "region_code": "12", "password": "1"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"username", "role", "region_code", "password"} <= set(errors)
