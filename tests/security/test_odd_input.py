"""Issue 15 item 7: no 500 from odd input, on any URL of the URLconf.

Each URL is asked which query parameters it reads (and, where it takes a form, which fields), then
sent Unicode digits, NUL and other control characters in all of them at once, value by value, and in
random mixes drawn by Hypothesis with a fixed budget; by an anonymous visitor, by a signed-in leader
whose scope holds every object in the path, and on the admin's lists and searches by a superuser.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork.filters import CallbackFilter, ConcernFilter, OverdueFilter, VisitFilter

from .odd_input import ODD_VALUES, reads_noted
from .urlconf import endpoints, url_of

ENDPOINTS = endpoints()
BUDGET = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
ODD = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(st.characters(categories=["Nd", "No", "Cc", "Cf"]), min_size=1, max_size=4),
)
FORM = "application/x-www-form-urlencoded"


def send(client, method: str, url: str, params: dict):
    """One request; a streamed answer is read through, so an error while streaming counts too."""
    query = urlencode(params, doseq=True)
    try:
        response = client.get(f"{url}?{query}") if method == "GET" else client.post(url, query, content_type=FORM)
        if response.streaming:
            b"".join(response.streaming_content)
    except Exception as error:
        raise AssertionError(f"{method} {url} {params!r} raised {error!r}") from error
    assert response.status_code < 500, (method, url, params, response.status_code)
    return response


def parameters_read(client, method: str, url: str) -> list[str]:
    """The parameters the view reads when it is sent one it does not know (so that it is bound)."""
    with reads_noted() as names:
        send(client, method, url, {"unknown": "1"})
    return sorted(names - {"unknown"})


def fuzz(client, method: str, url: str) -> list[str]:
    names = parameters_read(client, method, url)
    if not names:  # it reads none (a redirect to sign in, a 405): two requests say so
        send(client, method, url, {f"p{i}": value for i, value in enumerate(ODD_VALUES)})
        send(client, method, url, {"unknown": "".join(ODD_VALUES)})
        return names
    for value in ODD_VALUES:
        send(client, method, url, dict.fromkeys(names, value))

    @BUDGET
    @given(st.dictionaries(st.sampled_from(names), ODD, min_size=1))
    def mixed(params):
        send(client, method, url, params)

    mixed()
    return names


# The admin's pages that read query parameters (search, filters, order, pages): fuzzed as a superuser.
ADMIN_QUERIED = ("changelist", "admin:index", "admin:app_list", "admin:autocomplete")


def visitors(endpoint):
    yield "anonymous"
    yield "leader"
    if str(endpoint).startswith("admin:") and str(endpoint).endswith(ADMIN_QUERIED):
        yield "superuser"


CASES = [pytest.param(e, who, id=f"{e}-{who}") for e in ENDPOINTS for who in visitors(e)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_no_url_answers_500_to_odd_query_parameters(client, world, fill, endpoint, who):
    if who != "anonymous":
        client.force_login(world["user" if who == "leader" else "superuser"])
    fuzz(client, "GET", url_of(endpoint, fill))


POSTED = [pytest.param(e, id=str(e)) for e in ENDPOINTS if not "".join(map(str, e.patterns)).startswith("admin/")]


@pytest.mark.parametrize("endpoint", POSTED)
def test_no_form_answers_500_to_odd_fields(client, world, fill, endpoint):
    """Every form of the app, posted by a signed-in leader (the admin's forms are Django's own: a
    superuser's odd POST there could delete the world this test stands on)."""
    client.force_login(world["user"])
    fuzz(client, "POST", url_of(endpoint, fill))


@pytest.mark.parametrize(
    ("name", "filterset"),
    [
        ("visit-list", VisitFilter),
        ("concern-list", ConcernFilter),
        ("overdue-list", OverdueFilter),
        ("callback-list", CallbackFilter),
    ],
)
def test_the_parameters_found_are_those_of_the_list_filters(client, world, fill, name, filterset):
    """The discovery of what a view reads finds every filter of its filterset: the fuzz misses none."""
    client.force_login(world["user"])
    endpoint = next(e for e in ENDPOINTS if e.name == f"fieldwork:{name}")
    assert set(filterset.base_filters) <= set(parameters_read(client, "GET", url_of(endpoint, fill)))


def test_the_visit_form_is_fuzzed_in_its_management_form(client, world, fill):
    client.force_login(world["user"])
    endpoint = next(e for e in ENDPOINTS if e.name == "fieldwork:visit-create")
    names = parameters_read(client, "POST", url_of(endpoint, fill))
    assert {"unit", "concerns-TOTAL_FORMS", "concerns-INITIAL_FORMS", "add_concern"} <= set(names)
