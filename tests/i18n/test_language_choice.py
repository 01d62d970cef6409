"""The language follows the browser, falls back to Chinese, and the switcher keeps the page."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("accept", "expected", "lang"), [("zh-CN,zh;q=0.9", "登录", "zh-hans"), ("en-US,en", "Sign in", "en")]
)
def test_language_follows_the_browser(client, settings, accept, expected, lang):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert expected in html
    assert f'<html lang="{lang}">' in html


def test_chinese_is_the_fallback(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr")
    assert "登录" in response.content.decode()


def test_switcher_keeps_the_page(client_for, cadre_a):
    client = client_for(cadre_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/visits/?form=symposium"})
    assert response.status_code == 302 and response["Location"] == "/visits/?form=symposium"
    assert "Log a visit" in client.get("/visits/").content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/visits/"})
    assert "记录走访" in client.get("/visits/").content.decode()
