"""The domain's one error: a refused change, whose message the view shows as it is.

Services raise it; views and commands catch it. It lives apart from both so that neither has to
import the other to name it.
"""


class DomainError(Exception):
    """A refused change; its message is shown to the user as it is."""


class ConcernConflict(DomainError):
    """The concern changed since the caller loaded it; nothing was saved."""


class VisitConflict(DomainError):
    """The visit changed since the caller loaded it; nothing was saved. `version` is the visit's now."""

    def __init__(self, message: str, *, version: int):
        super().__init__(message)
        self.version = version


class VisitRefused(DomainError):
    """A visit that does not make sense as it stands, or needs a confirmed reason first
    (services.visits.visit_checks). `errors` maps each form field concerned to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors
