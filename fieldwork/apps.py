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

        from django.db.models.signals import post_migrate

        # after an upgrade that adds a figure, the stored rollups are rebuilt once (counting.RULES)
        post_migrate.connect(_rollups_after_migrate, sender=self, dispatch_uid="fieldwork.rollups_rules")

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from .services import people

        # the people picker's search keys follow every change of a name
        post_save.connect(people.user_saved, sender=get_user_model(), dispatch_uid="fieldwork.person_keys")

        from django.contrib.auth.signals import user_logged_out

        from .views import core

        user_logged_out.connect(core.signed_out, dispatch_uid="fieldwork.signed_out")


def _rollups_after_migrate(sender, *, using: str = "default", stdout=None, plan=None, **kwargs) -> None:
    """Bring the stored rollups up to the counting rules once the schema is (not on a migration back)."""
    from . import rollups

    if plan is not None and any(backwards for _migration, backwards in plan):
        return
    rollups.rebuild_if_outdated(stdout=stdout)
