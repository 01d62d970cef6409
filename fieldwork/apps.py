from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "fieldwork"
    verbose_name = _("Fieldwork")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the project's system checks)
            rollups,
        )

        rollups.connect()  # dashboard rollups kept in step with every write

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from .services import people

        # the people picker's search keys follow every change of a name
        post_save.connect(people.user_saved, sender=get_user_model(), dispatch_uid="fieldwork.person_keys")

        from django.contrib.auth.signals import user_logged_out

        from .views import core

        user_logged_out.connect(core.signed_out, dispatch_uid="fieldwork.signed_out")
