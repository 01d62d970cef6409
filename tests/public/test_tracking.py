"""Following a concern by its receipt code: a code sees only its own concern, the timeline shows no name,
contact or note; wrong and malformed codes get the same answer; a browser may stop following."""

import re

import pytest
from django.test import Client

from fieldwork import public
from fieldwork.display import display_name
from fieldwork.models import ConcernEvent
from fieldwork.services import concerns as concern_services
from tests.factories import ConcernEventFactory
from tests.public.helpers import TRACK_URL, raised, track

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_a_code_sees_only_its_own_concern(team_a, team_b):
    first, first_code = raised(team_a, description="First: canteen")
    second, second_code = raised(team_b, description="Second: lockers")
    one, two = Client(), Client()
    track(one, first_code)
    track(two, second_code)
    page_one = one.get(TRACK_URL).content.decode()
    page_two = two.get(TRACK_URL).content.decode()
    assert first.reference in page_one and second.reference not in page_one
    assert second.reference in page_two and first.reference not in page_two
    assert "Team A" in page_one and "Team B" not in page_one


def test_the_public_timeline_shows_no_name_no_contact_no_note(anon, team_a, cadre_a, leader_branch):
    team_a.receiver = cadre_a
    team_a.save()
    concern, code = raised(team_a, anonymous=False, name="赵铁柱", contact="13800001234")
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version, note="Rang the canteen boss")
    concern_services.concern_reassign(
        concern=concern, by=leader_branch, version=concern.version, owner=leader_branch, note="INTERNAL-XYZ"
    )
    ConcernEventFactory(concern=concern, kind=ConcernEvent.Kind.EDITED, note="PRIVATE-NOTE-42", public=False)
    concern_services.concern_resolve(
        concern=concern, by=leader_branch, version=concern.version, resolution="Told 王伟 to sort it out"
    )
    track(anon, code)
    html = anon.get(TRACK_URL).content.decode()
    assert "Work started" in html and "Resolved" in html
    assert "Owner changed" not in html  # an internal event is not on the public timeline
    for secret in [
        "赵铁柱",
        "13800001234",
        "PRIVATE-NOTE-42",
        "INTERNAL-XYZ",
        "Rang the canteen boss",
        "Told 王伟",
        "cadre_a",
        "leader_branch",
        display_name(cadre_a),
        display_name(leader_branch),
        "王伟",
        "李芳",
        "stairs to the substation",  # the description, which may name people
    ]:
        assert secret not in html, secret


def test_wrong_and_malformed_codes_get_the_same_answer(anon, team_a):
    raised(team_a)
    wrong = track(anon, "ABCD-EFGH-JKMN").content.decode()
    malformed = track(anon, "not a code!").content.decode()
    message = "No concern has this code."
    assert message in wrong and message in malformed

    def strip(html):  # the CSRF tokens and the echoed input differ; nothing else may
        return re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"', "", html)

    assert strip(wrong) == strip(malformed)
    assert "data-tracked-concern" not in wrong


def test_stop_following_in_this_browser(anon, team_a):
    concern, code = raised(team_a)
    track(anon, code)
    anon.post("/s/track/forget/")
    page = anon.get(TRACK_URL).content.decode()
    assert concern.reference not in page
    assert "Enter the receipt code" in page


def test_receipt_code_helpers():
    code = public.receipt_code_new()
    assert len(code) == 12 and set(code) <= set(public.CODE_ALPHABET)
    assert public.receipt_code_new() != code
    assert public.receipt_code_display("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"
    assert public.receipt_code_normalise(" abcd-efgh jkmn ") == "ABCDEFGHJKMN"
    assert public.receipt_code_normalise("ABCD-EFGH-JKM0") is None  # 0 is not in the alphabet
    assert public.receipt_code_normalise("ABCD") is None
