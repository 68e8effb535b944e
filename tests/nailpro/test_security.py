"""Settings are safe by default, and production settings pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k3#p9-production-like-secret-key-with-plenty-of-entropy-2026-x8!",
    "DJANGO_ALLOWED_HOSTS": "app.nailpro.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
}


def run_with(environment, *args):
    """Run Python in a fresh process with only the given NailPro variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "nailpro.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_variables():
    result = run_with(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production():
    environment = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = run_with(environment, "manage.py", "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_a_health_data_key():
    # Empty rather than absent, so that a developer's .env cannot fill it in.
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, "FIELD_ENCRYPTION_KEYS": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    script = (
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    )
    assert run_with(PRODUCTION, "-c", script).stdout.strip() == "False"
    assert run_with({"DJANGO_DEBUG": "1"}, "-c", script).stdout.strip() == "True"


HEADERS_SCRIPT = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/accounts/login/", secure=True, HTTP_HOST="app.nailpro.example")
cookie = response.cookies.get("csrftoken")
secure = bool(cookie and cookie["secure"])
status = {"status": response.status_code, "csrf_cookie_secure": secure}
print(json.dumps({**status, **response.headers}))
"""


def production_login_headers():
    result = run_with(PRODUCTION, "-c", HEADERS_SCRIPT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_headers_on_the_login_page():
    headers = production_login_headers()
    assert headers["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=(self)" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["csrf_cookie_secure"] is True


def test_production_redirects_plain_http_to_https():
    script = HEADERS_SCRIPT.replace("secure=True", "secure=False")
    result = run_with(PRODUCTION, "-c", script)
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 301
    assert headers["Location"] == "https://app.nailpro.example/accounts/login/"


def test_the_content_security_policy_is_strict(client):
    response = client.get("/accounts/login/")
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2]
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy  # no third-party origin


@pytest.mark.django_db
def test_pages_have_no_inline_script(alice_client):
    for url in ["/", "/account/", "/accounts/password/change/"]:
        page = alice_client.get(url).content.decode()
        assert "<script>" not in page
        assert " on" + "click=" not in page
        for tag in page.split("<script")[1:]:
            assert 'src="/static/' in tag.split(">")[0], f"inline script on {url}"


@pytest.mark.django_db
def test_pages_showing_client_data_are_not_cached(alice_client):
    response = alice_client.get("/")
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_htmx_sends_the_csrf_token_and_keeps_no_page_copies(alice_client):
    page = alice_client.get("/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    config = page.split('name="htmx-config" content=\'')[1].split("'")[0]
    assert json.loads(config) == {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
        "historyCacheSize": 0,
        "refreshOnHistoryMiss": True,
        "selfRequestsOnly": True,
    }
