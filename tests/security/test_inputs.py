"""Issue 15 item 7: one rule for the ids, counts and search text a request carries (fieldwork.inputs),
and the pages that read them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fieldwork.inputs import object_id, search_text, whole_number
from fieldwork.periods import PeriodError, period_parse

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (12, 12),
        ("0", None),
        ("²", None),  # isdigit() says yes, int() refuses it
        ("¹²", None),
        ("٣", None),  # int() reads these as 3: no link of the app writes them
        ("３", None),
        ("𝟙", None),
        ("-1", None),
        (" 1", None),
        ("1\n", None),
        ("1\x00", None),
        ("9" * 19, None),  # beyond PostgreSQL's bigint
        (str(2**63 - 1), 2**63 - 1),
        (True, None),
        (None, None),
        (["1"], None),
    ],
)
def test_an_id_is_ascii_digits_within_a_bigint(raw, expected):
    assert object_id(raw) == expected


def test_a_count_has_its_bounds():
    assert whole_number("0") == 0
    assert whole_number("21", high=20) is None
    assert whole_number("２", high=20) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  Team A ", "Team A"), ("a\x00b", ""), ("\x00", ""), (None, ""), ("x" * 80, "x" * 50)],
)
def test_search_text_is_stripped_cut_and_never_holds_a_nul(raw, expected):
    assert search_text(raw, max_length=50) == expected


@pytest.mark.parametrize("url", ["fieldwork:unit-list", "fieldwork:unit-search"])
def test_a_nul_in_a_unit_search_is_no_search(client_for, leader_branch, team_a, url):
    client = client_for(leader_branch)
    plain = client.get(reverse(url))
    response = client.get(reverse(url), {"q": "Team\x00A"})
    assert response.status_code == 200
    if url == "fieldwork:unit-list":
        assert response.context["query"] == ""
    else:
        assert response.json() == plain.json()


def test_a_unit_id_in_other_digits_opens_no_subtree(client_for, leader_branch, branch, team_a):
    client = client_for(leader_branch)
    assert client.get(reverse("fieldwork:unit-list"), {"parent": str(branch.pk)}).context["parent"] == branch
    for digits in (FULL_WIDTH, ARABIC_INDIC):
        response = client.get(reverse("fieldwork:unit-list"), {"parent": str(branch.pk).translate(digits)})
        assert response.status_code == 200
        assert response.context["parent"] is None


def test_a_unit_filter_in_other_digits_is_refused_beside_the_field(client_for, leader_branch, team_a):
    response = client_for(leader_branch).get(
        reverse("fieldwork:concern-list"), {"unit": str(team_a.pk).translate(FULL_WIDTH)}
    )
    assert response.status_code == 200
    assert "unit" in response.context["filter"].form.errors


@pytest.mark.parametrize("total", ["²", "¹²", "３"])
def test_the_next_concern_form_after_an_odd_count_is_the_first(client_for, cadre_a, total):
    response = client_for(cadre_a).get(reverse("fieldwork:visit-concern-form"), {"concerns-TOTAL_FORMS": total})
    assert response.status_code == 200
    assert response.context["next_total"] == 1


def test_the_ledger_of_a_unit_in_other_digits_is_not_found(client_for, leader_branch, team_a):
    response = client_for(leader_branch).get(reverse("fieldwork:ledger"), {"unit": "²"})
    assert response.status_code == 404
    response = client_for(leader_branch).get(
        reverse("fieldwork:ledger"), {"unit": str(team_a.pk).translate(FULL_WIDTH)}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("period", ["²⁰²⁶", "2026-Q٣", "٢٠٢٦-07", "߂߀߂߆"])
def test_a_period_in_other_digits_is_refused(period):
    with pytest.raises(PeriodError):
        period_parse(period=period)


@pytest.mark.parametrize(
    ("period", "same_as"), [("２０２６", "2026"), ("2026-Q３", "2026-Q3"), ("２０２６-07", "2026-07")]
)
def test_a_period_typed_in_full_width_digits_is_the_same_period(period, same_as):
    """A Chinese input method types full-width digits (issue 20: periods as people write them); digits of
    other scripts stay refused (above)."""
    assert period_parse(period=period) == period_parse(period=same_as)
