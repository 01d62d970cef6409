"""Load mix of cadre and leader traffic for scripts/load.sh (locust, headless, on loopback only).

Each simulated person signs in once with a demo account, then loops over what cadres do: open my
work, look at the concern list and a concern, log a visit, and (leaders) open their dashboard.
"""

import random
import re
from datetime import date

import requests
from locust import HttpUser, between, task

PASSWORD = "demo-pass-2026"
CADRES = ["cadre", "cadre2"]
LEADERS = ["leader", "leader_bdyx"]
CONCERN_LINK = re.compile(r'href="/concerns/(\d+)/"')
UNIT_OPTION = re.compile(r'<option value="(\d+)"[^>]*selected')
CATEGORY = re.compile(r'name="concerns-__prefix__-category".*?<option value="(\d+)"', re.S)


class Person(HttpUser):
    abstract = True  # only Cadre and Leader are spawned
    wait_time = between(0.5, 1.5)
    username = "cadre"

    def on_start(self):
        # Signed in outside the measured client: every simulated person signs in within the same
        # second of a step, and that burst would measure the password hash (PBKDF2, some 0.4 s of
        # CPU each), not the pages. docs/benchmarks.md gives the sign-in's own cost.
        session = requests.Session()
        session.get(self.host + "/accounts/login/")
        session.post(
            self.host + "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies.get("csrftoken")},
            headers={"Referer": self.host + "/accounts/login/"},
        )
        self.client.cookies.update(session.cookies)
        page = self.client.get("/concerns/", name="/concerns/").text
        self.concerns = CONCERN_LINK.findall(page)[:20] or []
        self.dashboard_unit = None

    @task(4)
    def my_work(self):
        self.client.get("/", name="/ (my work)")

    @task(3)
    def concern_list(self):
        self.client.get("/concerns/", name="/concerns/")

    @task(3)
    def concern_detail(self):
        if self.concerns:
            self.client.get(f"/concerns/{random.choice(self.concerns)}/", name="/concerns/<id>/")

    @task(1)
    def log_a_visit(self):
        form = self.client.get("/visits/new/", name="/visits/new/ (form)").text
        unit = UNIT_OPTION.search(form) or re.search(
            r'name="unit"[^>]*>\s*<option value="">[^<]*</option>\s*<option value="(\d+)"', form
        )
        if not unit:
            return
        token = self.client.cookies.get("csrftoken")
        self.client.post(
            "/visits/new/",
            {
                "csrfmiddlewaretoken": token,
                "unit": unit.group(1),
                "date": date.today().isoformat(),
                "form": "heart_to_heart",
                "people_reached": "3",
                "summary": "负载测试：谈心谈话",
                "concerns-TOTAL_FORMS": "0",
                "concerns-INITIAL_FORMS": "0",
                "concerns-MIN_NUM_FORMS": "0",
                "concerns-MAX_NUM_FORMS": "20",
            },
            headers={"Referer": self.host + "/visits/new/"},
            name="/visits/new/ (save)",
        )


class Cadre(Person):
    weight = 3

    def on_start(self):
        self.username = random.choice(CADRES)
        super().on_start()


class Leader(Person):
    weight = 1

    def on_start(self):
        self.username = random.choice(LEADERS)
        super().on_start()
        units = re.findall(r'href="/units/(\d+)/dashboard/"', self.client.get("/units/", name="/units/").text)
        self.dashboard_unit = units[0] if units else None

    @task(2)
    def dashboard(self):
        if self.dashboard_unit:
            self.client.get(f"/units/{self.dashboard_unit}/dashboard/", name="/units/<id>/dashboard/")
