"""docs/dashboard.md defines the figure in the page's words, in English and Chinese, and says that no
list ranks cadres by visit counts (issue 21, item 5)."""

from pathlib import Path

from django.conf import settings

from fieldwork import contact_points


def _docs() -> str:
    return (Path(settings.BASE_DIR) / "docs" / "dashboard.md").read_text(encoding="utf-8")


def test_the_docs_define_the_figure_in_the_words_of_the_page():
    assert f"| {contact_points.FIGURE_NAME} | {contact_points.DEFINITION} |" in _docs()


def test_the_docs_say_there_is_no_ranking_in_both_languages():
    docs = _docs()
    assert "No quotas, no leaderboards" in docs
    assert "## 联系点未按期走访（中文）" in docs
    assert "不排名次" in docs
