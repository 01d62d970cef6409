"""Signing out says so on the sign-in page; the test client's logout still works."""

from django.urls import reverse


def test_signing_out_says_so_on_the_sign_in_page(client_for, cadre_a):
    client = client_for(cadre_a)
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have signed out." in response.content.decode()
    assert "You have signed out." not in client.get(reverse("login")).content.decode()  # said once


def test_the_test_clients_logout_still_works(client_for, cadre_a):
    client = client_for(cadre_a)
    client.logout()  # a request without the message middleware: no message, no error
    assert client.get("/").status_code == 302
