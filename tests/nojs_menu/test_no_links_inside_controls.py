"""No link or other control nested inside a button or a <summary> in the navigation of the pages a
signed-in person uses: nested interactive elements are unreachable or ambiguous without JavaScript
and to assistive technology (issue 19, item 4)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

INTERACTIVE = {"a", "button", "input", "select", "textarea", "summary", "details"}
CONTAINERS = {"button", "summary"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Nesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        inside = [t for t in self.stack if t in CONTAINERS]
        if inside and tag in INTERACTIVE:
            self.found.append(f"<{tag}> inside <{inside[-1]}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def header_of(html: str) -> str:
    return html[html.index("<header") : html.index("</header>") + len("</header>")]


@pytest.mark.parametrize(
    "name",
    [
        "fieldwork:my-work",
        "fieldwork:visit-list",
        "fieldwork:visit-create",
        "fieldwork:concern-list",
        "fieldwork:overdue-list",
        "fieldwork:callback-list",
        "fieldwork:concern-supervised-list",
    ],
)
def test_the_navigation_nests_no_control_in_another(client_for, cadre_a, team_a, name):
    html = client_for(cadre_a).get(reverse(name)).content.decode()
    header = header_of(html)
    parser = Nesting()
    parser.feed(header)
    assert parser.found == []
    # the toggler is a link to the menu's anchor, so it opens without JavaScript
    assert 'class="navbar-toggler" href="#nav"' in header and 'id="nav"' in header
