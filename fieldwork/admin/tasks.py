"""The task queue's results (django-tasks-db's own admin, read-only): for superusers only, as a task's
arguments and result may concern any unit."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .scoping import SuperuserOnlyAdmin

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, type("DBTaskResultAdmin", (SuperuserOnlyAdmin, DBTaskResultAdmin), {}))
