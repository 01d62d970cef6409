"""The unit tree page's address."""

from django.urls import reverse

UNITS = reverse("fieldwork:unit-list")
