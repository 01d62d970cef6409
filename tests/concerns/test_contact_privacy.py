"""Who raised a concern, and how to reach them, is shown only to those who need it."""

from tests.factories import ConcernFactory


def test_contact_is_shown_to_the_owner_and_leaders_only(client, cadre_a, cadre_a2, leader_branch, concern):
    for user, shown in ((cadre_a, True), (leader_branch, True), (cadre_a2, False)):
        client.force_login(user)
        page = client.get(concern.get_absolute_url()).content.decode()
        assert "刘师傅" in page
        assert ("13900001111" in page) is shown, user


def test_nothing_about_an_anonymous_person(client, team_a, cadre_a, leader_branch):
    # Even if a name slipped into the row, an anonymous concern shows none of it.
    concern = ConcernFactory(
        unit=team_a, owner=cadre_a, anonymous=True, raised_by_name="刘师傅", raised_by_contact="13900001111"
    )
    for user in (cadre_a, leader_branch):
        client.force_login(user)
        page = client.get(concern.get_absolute_url()).content.decode()
        assert "刘师傅" not in page and "13900001111" not in page
        assert "Anonymous" in page
