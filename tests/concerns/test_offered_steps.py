"""The page offers only the steps the user may take, and asks before the ones that cannot be undone."""

import re

from tests.concerns.helpers import resolved


def steps(response) -> set[str]:
    """The transitions offered on the page, by their data-step marker."""
    return set(re.findall(r'data-step="([a-z_]+)"', response.content.decode()))


def test_buttons_only_for_what_the_user_may_do(client, concern, cadre_a, cadre_a2, leader_branch):
    expected = {
        cadre_a: {"start", "assess", "add_action"},
        cadre_a2: {"add_action"},
        leader_branch: {"start", "assess", "withdraw", "reassign", "set_due", "transfer", "add_action"},
    }
    for user, offered in expected.items():
        client.force_login(user)
        assert steps(client.get(concern.get_absolute_url())) == offered, user
    resolved(concern, cadre_a)
    # a call that reached nobody is offered beside the callback; closing as unreachable only after the attempts
    after = {cadre_a: set(), cadre_a2: {"callback", "attempt"}, leader_branch: {"callback", "attempt"}}
    for user, offered in after.items():
        client.force_login(user)
        assert steps(client.get(concern.get_absolute_url())) == offered, user


def test_withdrawal_and_dissatisfaction_ask_for_confirmation(client, concern, cadre_a, cadre_a2, leader_branch):
    client.force_login(leader_branch)
    page = client.get(concern.get_absolute_url()).content.decode()
    assert 'data-confirm="Withdraw this concern?' in page
    resolved(concern, cadre_a)
    client.force_login(cadre_a2)
    page = client.get(concern.get_absolute_url()).content.decode()
    assert 'value="dissatisfied" class="btn btn-outline-danger" data-confirm=' in page
    assert 'value="satisfied" class="btn btn-success">' in page  # no question for a satisfied answer
