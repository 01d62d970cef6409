"""The concern list's and form's addresses, and the references a list page shows."""

import re

from django.urls import reverse

LIST = reverse("fieldwork:concern-list")
NEW = reverse("fieldwork:concern-create")


def references(response) -> list[str]:
    """The references listed on the page, in order."""
    return re.findall(r'href="/concerns/\d+/">([^<]+)</a>', response.content.decode())
