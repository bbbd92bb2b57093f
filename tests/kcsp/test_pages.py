import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_home_page_layout(client: Client) -> None:
    response = client.get(reverse("kcsp:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en-GB">' in body
    # The skip link comes before anything else in the body.
    after_body = body.split("<body", 1)[1]
    first_link = after_body.split("<a ", 1)[1]
    assert first_link.startswith('href="#main-content"')
    assert '<main id="main-content"' in body
    assert reverse("kcsp:accessibility") in body
    assert reverse("kcsp:privacy") in body
    # The public's ways to be heard are found from every page.
    assert f'href="{reverse("meetings:petitions")}">Petitions</a>' in body
    assert f'href="{reverse("meetings:calls")}">Councillor Calls' in body
    assert "Kent Community Safety Partnership" in body
    # No logo is configured, so no image is offered that could break.
    assert "<img" not in body


@pytest.mark.parametrize("name", ["kcsp:accessibility", "kcsp:privacy"])
def test_footer_pages(client: Client, name: str) -> None:
    assert client.get(reverse(name)).status_code == 200


def test_pages_carry_security_headers(client: Client) -> None:
    response = client.get(reverse("kcsp:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_health_endpoint_when_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_endpoint_when_database_is_unreachable(tmp_path: Path) -> None:
    # A fresh process whose database is a port nobody listens on: a real
    # connection failure, not a simulated one.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kcsp.settings_test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/unreachable?connect_timeout=2",
        "DATABASE_POOL": "0",
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    status, body = out.stdout.strip().split(" ", 1)
    assert status == "503"
    assert '"database": "unavailable"' in body


@pytest.mark.parametrize(
    ("service", "env"),
    [
        ("cache", {"REDIS_URL": "redis://127.0.0.1:9/0"}),
        (
            "storage",
            {
                "STORAGE_S3_BUCKET": "kcsp",
                "STORAGE_S3_ENDPOINT_URL": "http://127.0.0.1:9",
                "STORAGE_S3_REGION": "eu-west-2",
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
            },
        ),
    ],
)
def test_health_endpoint_when_a_shared_service_is_unreachable(
    tmp_path: Path, service: str, env: dict[str, str]
) -> None:
    # The production settings (not the tests', which keep a local cache and
    # files) with the service on a port nobody listens on.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kcsp.settings",
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    status, body = out.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert f'"{service}": "unavailable"' in body
    assert '"database": "ok"' in body
