"""Horizon x3 behind the VIP: the login page, a real login, a session that outlives its unit."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from openstack_probe import apache_start, apache_stop, public_vip, unit_url

from conftest import DeployedLab
from hastack.kinds.openstack_dashboard.deploy import INSTANCE

pytestmark = pytest.mark.lab
APP = "openstack-dashboard"
UNIT_PORT = 70


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the login's redirect is the answer: where Horizon sends the user


class Browser:
    """A cookie-keeping client, like a browser on this machine."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.opener = urllib.request.build_opener(cookies)
        self.poster = urllib.request.build_opener(cookies, _KeepRedirect)

    def get(self, url: str) -> tuple[int, str, str]:
        with self.opener.open(url, timeout=60) as answer:
            return answer.status, answer.geturl(), answer.read().decode()

    def post(self, url: str, form: dict[str, str], referer: str) -> tuple[int, str]:
        """POST the form; the status and the redirect's target (or the URL itself)."""
        data = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": referer})
        try:
            with self.poster.open(request, timeout=60) as answer:
                return answer.status, answer.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", url)

    def cookies(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def _login(deployed: DeployedLab) -> tuple[Browser, str]:
    base = f"http://{public_vip(deployed.plan, APP)}"
    browser = Browser()
    status, _url, page = browser.get(f"{base}/auth/login/")
    assert status == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    region = re.search(r'name="region" value="([^"]+)"', page) or re.search(
        r'<option value="([^"]+)"', page
    )
    assert csrf, "no CSRF token on the login page"
    form = {
        "csrfmiddlewaretoken": csrf.group(1),
        "username": "admin",
        "password": deployed.secrets.get("keystone-admin-password").reveal(),
        "region": region.group(1) if region else "default",
        "next": "",
    }
    status, target = browser.post(f"{base}/auth/login/", form, f"{base}/auth/login/")
    assert status == 302 and "/auth/login" not in target, f"login failed ({status} {target})"
    return browser, base


def _logged_in(url: str, cookies: str) -> bool:
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return "/auth/login" not in answer.geturl() and answer.status == 200


def test_the_login_page_answers_through_the_vip(deployed: DeployedLab) -> None:
    status, _url, page = Browser().get(f"http://{public_vip(deployed.plan, APP)}/auth/login/")
    assert status == 200
    assert "csrfmiddlewaretoken" in page


def test_a_real_login_reaches_the_dashboard(deployed: DeployedLab) -> None:
    """Form POST with the CSRF token, then a signed-in page. With Keystone alone in the
    catalog the landing page is Identity: Project > Overview needs a compute service."""
    browser, base = _login(deployed)
    status, landed, page = browser.get(f"{base}/identity/")
    assert status == 200 and "/auth/login" not in landed
    assert "Sign Out" in page and "admin" in page


def test_the_session_is_valid_on_every_unit(deployed: DeployedLab) -> None:
    """Sessions live in memcached: every unit knows a user signed in through any other."""
    browser, _base = _login(deployed)
    for unit in deployed.plan.units_of(APP):
        url = f"{unit_url(deployed.plan, unit.host, UNIT_PORT)}/identity/"
        assert _logged_in(url, browser.cookies()), f"{unit.host} does not know the session"


def test_a_user_stays_logged_in_when_a_unit_dies(deployed: DeployedLab) -> None:
    browser, base = _login(deployed)
    victim = deployed.plan.units_of(APP)[-1].host
    apache_stop(deployed.node(victim), INSTANCE)
    try:
        for _ in range(6):  # round robin: every live unit serves some of these
            status, landed, _page = browser.get(f"{base}/identity/")
            assert status == 200 and "/auth/login" not in landed
    finally:
        apache_start(deployed.node(victim), INSTANCE)
