from django.urls import path

from .views import concerns, core, visits

app_name = "fieldwork"

urlpatterns = [
    path("", core.my_work, name="my-work"),
    path("units/search/", core.unit_search, name="unit-search"),
    path("visits/", visits.visit_list, name="visit-list"),
    path("visits/new/", visits.visit_create, name="visit-create"),
    path("visits/new/concern-form/", visits.visit_concern_form, name="visit-concern-form"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit-edit"),
    path("concerns/<int:pk>/", concerns.concern_detail, name="concern-detail"),
]
