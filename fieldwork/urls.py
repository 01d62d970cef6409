from django.urls import path

from .views import calendar, concern_lists, concerns, core, dashboards, overdue, people, public, reports, visits

app_name = "fieldwork"

urlpatterns = [
    path("", core.my_work, name="my-work"),
    path("units/search/", core.unit_search, name="unit-search"),
    path("people/search/", people.people_search, name="people-search"),
    path("units/", dashboards.unit_list, name="unit-list"),
    path("units/<int:pk>/dashboard/", dashboards.unit_dashboard, name="unit-dashboard"),
    path("visits/", visits.visit_list, name="visit-list"),
    path("visits/new/", visits.visit_create, name="visit-create"),
    path("visits/new/concern-form/", visits.visit_concern_form, name="visit-concern-form"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit-edit"),
    path("concerns/", concern_lists.concern_list, name="concern-list"),
    path("concerns/new/", concerns.concern_create, name="concern-create"),
    path("concerns/supervised/", concern_lists.concern_supervised_list, name="concern-supervised-list"),
    path("concerns/due-shifts/", calendar.due_shift_list, name="due-shift-list"),
    path("concerns/<int:pk>/", concerns.concern_detail, name="concern-detail"),
    path("concerns/<int:pk>/start/", concerns.concern_start, name="concern-start"),
    path("concerns/<int:pk>/resolve/", concerns.concern_resolve, name="concern-resolve"),
    path("concerns/<int:pk>/assess/", concerns.concern_assess, name="concern-assess"),
    path("concerns/<int:pk>/callback/", concerns.concern_callback, name="concern-callback"),
    path("concerns/<int:pk>/withdraw/", concerns.concern_withdraw, name="concern-withdraw"),
    path("concerns/<int:pk>/reassign/", concerns.concern_reassign, name="concern-reassign"),
    path("concerns/<int:pk>/due/", concerns.concern_set_due, name="concern-set-due"),
    path("concerns/<int:pk>/transfer/", concerns.concern_transfer, name="concern-transfer"),
    path("concerns/<int:pk>/extension/", concerns.concern_extension_request, name="concern-extension-request"),
    path(
        "concerns/<int:pk>/extension/<int:request_pk>/decide/",
        concerns.concern_extension_decide,
        name="concern-extension-decide",
    ),
    path("concerns/<int:pk>/actions/new/", concerns.action_create, name="concern-action-create"),
    path("concerns/<int:pk>/actions/<int:action_pk>/done/", concerns.action_done, name="concern-action-done"),
    path("overdue/", overdue.overdue_list, name="overdue-list"),
    path("overdue/export.csv", overdue.overdue_export_csv, name="overdue-export-csv"),
    path("overdue/export.xlsx", overdue.overdue_export_xlsx, name="overdue-export-xlsx"),
    path("reports/ledger/", reports.ledger, name="ledger"),
    path("reports/ledger.xlsx", reports.ledger_xlsx, name="ledger-xlsx"),
    # the public channel: /s/track/... before /s/<unit-code>/, so "track" is never taken for a unit code
    path("s/track/", public.public_track, name="public-track"),
    path("s/track/callback/", public.public_track_callback, name="public-track-callback"),
    path("s/track/forget/", public.public_track_forget, name="public-track-forget"),
    path("s/<slug:unit_code>/", public.public_raise, name="public-raise"),
    path("s/<slug:unit_code>/receipt/", public.public_raise_receipt, name="public-raise-receipt"),
    path("units/<int:pk>/poster/", public.unit_poster, name="unit-poster"),
]
