"""Locust users for bench/web_load.py: a citizen on the public pages and Mina sidor, and an API client.

Reads the prepared citizens (personnummer, bearer token, case id) from the JSON file named by
`BISTAND_WEB_LOAD_DATA`. Every user thinks 0.5–1.5 s between requests, as people (and polite clients) do.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["BISTAND_WEB_LOAD_DATA"]).read())  # noqa: SIM115 - read once
_next = itertools.count()
_lock = threading.Lock()

# The rules engine's contract example (docs/rules.md): a couple with two children.
HOUSEHOLD = {
    "month": "2026-11",
    "municipality": "1287",
    "members": [
        {"id": "a", "role": "applicant", "birth_date": "1985-02-11"},
        {"id": "b", "role": "co_applicant", "birth_date": "1987-07-30"},
        {"id": "c", "role": "child", "birth_date": "2016-05-01", "lunch_at_home": False},
        {"id": "d", "role": "child", "birth_date": "2012-01-20"},
    ],
    "household_size": 4,
    "costs": [{"type": "rent", "amount": 7800}, {"type": "electricity", "amount": 350}],
    "incomes": [{"member": "a", "type": "salary", "amount": 4000}],
    "assistance_months": ["2026-09", "2026-10"],
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def citizen() -> dict:
    with _lock:
        return DATA["citizens"][next(_next) % len(DATA["citizens"])]


class Citizen(HttpUser):
    """Start page, sign-in page, then signed in (development eID) on Mina sidor."""

    wait_time = between(0.5, 1.5)
    weight = 2

    def on_start(self) -> None:
        me = citizen()
        page = self.client.get("/login/dev-eid/", name="sign-in (dev eID form)")
        token = CSRF.search(page.text)
        self.client.post(
            "/login/dev-eid/",
            data={"personnummer": me["pnr"], "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/login/dev-eid/"},
            name="sign-in (dev eID post)",
        )

    @task(2)
    def start_page(self) -> None:
        self.client.get("/", name="start page")

    @task(2)
    def sign_in_page(self) -> None:
        self.client.get("/login/", name="sign-in page")

    @task(4)
    def mina_sidor(self) -> None:
        self.client.get("/my/", name="Mina sidor")


class ApiClient(HttpUser):
    """The intake and calculation API: a case's status, and a calculation."""

    wait_time = between(0.5, 1.5)
    weight = 1

    def on_start(self) -> None:
        me = citizen()
        self.headers = {"Authorization": f"Bearer {me['token']}"}
        self.case = me["case_id"]

    @task(2)
    def case(self) -> None:
        self.client.get(f"/api/v1/cases/{self.case}", headers=self.headers, name="GET /api/v1/cases/{id}")

    @task(1)
    def calculate(self) -> None:
        self.client.post("/api/v1/calculate", json=HOUSEHOLD, name="POST /api/v1/calculate")
