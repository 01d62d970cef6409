"""The demo's texts go to COPY unescaped."""

from django.contrib.auth import get_user_model

from fieldwork.demo import texts

User = get_user_model()


def test_demo_texts_can_go_to_copy_unescaped():
    for table in texts.TEXT_TABLES:
        for text in table:
            assert not set(text) & {"\t", "\n", "\r", "\\"}, text
