from django.urls import reverse

UNITS = reverse("fieldwork:unit-list")
