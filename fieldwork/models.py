"""The domain of Fieldwork: units, who works in them, visits, concerns and how concerns end.

Reads that aggregate live in selectors.py; every write that changes state lives in services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scope import ScopedQuerySet, UnitQuerySet


class BilingualName(models.Model):
    """A seeded, admin-editable label kept in both languages of the interface."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "zh-hans").startswith("zh") else self.name_en


class Unit(models.Model):
    """A node of the enterprise tree: company → branch → workshop/department → team/station.

    `path` is a materialised path of primary keys ("/1/5/12/"), so a subtree is one indexed
    prefix query and never a recursion.
    """

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        BRANCH = "branch", _("Branch")
        DEPARTMENT = "department", _("Office or department")
        WORKSHOP = "workshop", _("Workshop")
        STATION = "station", _("Supply station")
        TEAM = "team", _("Team")
        SUBSTATION = "substation", _("Substation")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Used in the public channel's address."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    active = models.BooleanField(_("active"), default=True)
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receiver of public concerns"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UnitQuerySet.as_manager()

    # /s/track/ lives beside /s/<unit-code>/: no unit may take that code.
    RESERVED_CODES = frozenset({"track"})

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [
            # every subtree query: path LIKE '/1/5/%' (scope.visible_units, selectors)
            models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path, old_depth = self.path, self.depth
        if self.pk is None:
            super().save(*args, **kwargs)  # the path is made of primary keys: get ours first
            args, kwargs = (), {}
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # The unit moved: carry everything below it along.
            Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (self.depth - old_depth),
            )

    def clean(self) -> None:
        if self.code in self.RESERVED_CODES:
            raise ValidationError({"code": _("This code is reserved by the public channel's addresses.")})
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own units.")})

    def subtree(self) -> UnitQuerySet:
        return Unit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> UnitQuerySet:
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        return Unit.objects.filter(pk__in=ids).order_by("depth")


class Membership(models.Model):
    """A user's role in a unit; it reaches the unit and everything below it."""

    class Role(models.TextChoices):
        CADRE = "cadre", _("Cadre")
        LEADER = "leader", _("Leader")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CADRE)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class Principle(BilingualName):
    """One of the essay's five principles of keeping close to the people."""

    essay_section = models.PositiveSmallIntegerField(_("essay section"))
    description = models.TextField(_("description"), blank=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("principle")
        verbose_name_plural = _("principles")


class Category(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


# Kept by name (the model's `history` attribute becomes its manager): services call it to write one
# record once a visit's cadres and principles are set, instead of one per save and per m2m change.
VISIT_HISTORY = HistoricalRecords(m2m_fields=["cadres", "principles"], excluded_fields=["updated_at"])


class Visit(models.Model):
    class Form(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        SYMPOSIUM = "symposium", _("Symposium")
        HEART_TO_HEART = "heart_to_heart", _("Heart-to-heart talk")
        ON_SITE_SURVEY = "on_site_survey", _("On-site survey")
        STAYING_AT_POINT = "staying_at_point", _("Staying at a grassroots point")
        RECEPTION_DAY = "reception_day", _("Reception day")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date"))
    form = models.CharField(_("form of visit"), max_length=20, choices=Form.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    cadres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("cadres"), related_name="visits_made", blank=True
    )
    people_reached = models.PositiveIntegerField(_("people reached"), validators=[MinValueValidator(1)])
    summary = models.TextField(_("what was heard"), max_length=5000, blank=True)
    principles = models.ManyToManyField(Principle, verbose_name=_("principles practised"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="visits_authored",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    # who changed what and when (history.py); services.visit_record/visit_update write one record per
    # save through VISIT_HISTORY, with the cadres and principles as they stand after it
    history = VISIT_HISTORY

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(people_reached__gte=1), name="visit_people_reached_positive"),
        ]
        indexes = [
            # visit list and dashboard: a unit's visits by date (selectors, VisitFilter)
            models.Index(fields=["unit", "date"], name="visit_unit_date"),
            # visit list newest first across a whole scope
            models.Index(fields=["-date", "-id"], name="visit_date_id"),
            # my work: a person's latest visits (135 ms on the million-visit data without it)
            models.Index(fields=["author", "-date", "-id"], name="visit_author_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_form_display()} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:visit-detail", args=[self.pk])


class Concern(models.Model):
    class Source(models.TextChoices):
        VISIT = "visit", _("Visit")
        PUBLIC = "public", _("Public channel")
        OTHER = "other", _("Other")

    class Priority(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        NORMAL = "normal", _("Normal")
        LONG_TERM = "long_term", _("Long-term")

    class Solvability(models.TextChoices):
        NOW = "now", _("Can be solved now")
        LONG_TERM = "long_term", _("Needs long-term work")
        POLICY = "policy", _("Limited by policy")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed after callback")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="concerns")
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.VISIT)
    raised_by_name = models.CharField(_("raised by"), max_length=100, blank=True)
    raised_by_contact = models.CharField(_("contact"), max_length=100, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    solvability = models.CharField(_("solvability"), max_length=10, choices=Solvability.choices, blank=True)
    due_date = models.DateField(_("due date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_owned",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    principles = models.ManyToManyField(Principle, verbose_name=_("principles"), blank=True)
    resolution = models.TextField(_("resolution"), max_length=5000, blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    taken_up_at = models.DateTimeField(_("taken up at"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0, editable=False)
    receipt_code = models.CharField(_("receipt code"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_created",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The chasing ladder (send_reminders): when the unit's leaders took the overdue concern under
    # supervision (督办). It stays set once the concern is finished: "was supervised" is a record.
    supervised_at = models.DateTimeField(_("supervised since"), null=True, blank=True, editable=False)
    extensions_granted = models.PositiveSmallIntegerField(_("extensions granted"), default=0, editable=False)

    # who changed what and when (history.py): every services._write adds one record. The contact and the
    # receipt code's hash are left out, so the history never shows them to someone the detail page hides them from.
    history = HistoricalRecords(excluded_fields=["raised_by_contact", "receipt_code", "updated_at", "version"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"]) | ~Q(resolution=""),
                name="concern_resolved_has_resolution",
            ),
            models.UniqueConstraint(
                fields=["receipt_code"], condition=~Q(receipt_code=""), name="concern_receipt_code_unique"
            ),
        ]
        indexes = [
            # overdue list and my-work: open concerns by due date (selectors.concerns_overdue)
            models.Index(fields=["due_date"], name="concern_open_due", condition=Q(status__in=["open", "in_progress"])),
            # the same for a subtree: counting a branch's overdue concerns reads only its units' entries
            models.Index(
                fields=["unit", "due_date"],
                name="concern_unit_open_due",
                condition=Q(status__in=["open", "in_progress"]),
            ),
            # concern list and dashboard: a unit's concerns by time raised
            models.Index(fields=["unit", "raised_at"], name="concern_unit_raised"),
            # concern list, newest first across a wide scope: walk this and stop at a page (views.concerns)
            models.Index(fields=["-raised_at", "-id"], name="concern_raised_id"),
            # my work: what a person owns, by status
            models.Index(fields=["owner", "status"], name="concern_owner_status"),
            # the supervised list: supervised concerns by due date (selectors.concerns_supervised)
            models.Index(
                fields=["due_date", "id"], name="concern_supervised_due", condition=Q(supervised_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:concern-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def days_overdue(self, today=None) -> int:
        """Working days past the due date while the concern is still open; 0 otherwise."""
        if not self.is_active:
            return 0
        from . import workdays  # workdays reads the calendar model defined below

        return workdays.days_overdue(self.due_date, today or timezone.localdate())

    def due_date_estimated(self, today=None) -> bool:
        """Whether a date of this concern was counted over days whose calendar is only an estimate.

        Its due date, response limit and extensions are counted between the day it was raised and
        its due date, and its days overdue up to today while it is open (workdays.rests_on_estimate).
        """
        from . import workdays

        end = self.due_date
        if self.is_active:
            end = max(end, today or timezone.localdate())
        return workdays.rests_on_estimate(timezone.localtime(self.raised_at).date(), end)


class ConcernEvent(models.Model):
    """One immutable line of a concern's timeline: who did what, when, from which status to which."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        STARTED = "started", _("Work started")
        ASSESSED = "assessed", _("Assessed")
        RESOLVED = "resolved", _("Resolved")
        CALLBACK = "callback", _("Callback recorded")
        REOPENED = "reopened", _("Reopened")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REASSIGNED = "reassigned", _("Owner changed")
        DUE_CHANGED = "due_changed", _("Due date changed")
        ACTION_ADDED = "action_added", _("Action added")
        ACTION_DONE = "action_done", _("Action done")
        EDITED = "edited", _("Edited")
        # Translators: 延期申请
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        # Translators: 同意延期
        EXTENSION_APPROVED = "extension_approved", _("Extension granted")
        # Translators: 不同意延期
        EXTENSION_REFUSED = "extension_refused", _("Extension refused")
        # Translators: 到期提醒
        REMINDED = "reminded", _("Reminded before the due date")
        # Translators: 催办
        CHASED = "chased", _("Chased")
        # Translators: 督办
        SUPERVISED = "supervised", _("Supervised by the unit's leaders")
        # Translators: 通报
        NOTICE = "notice", _("Notice to the leaders above")

    concern = models.ForeignKey(Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Concern.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Concern.Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("shown on the public timeline"), default=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("concern event")
        verbose_name_plural = _("concern events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["concern", "created_at"], name="event_concern_time")]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError(_("Events are immutable."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Events are immutable."))


class FollowUpAction(models.Model):
    concern = models.ForeignKey(Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="actions")
    # the concern's unit, copied on every save (a concern changes unit only in the admin, which moves
    # its actions along): the overdue list scopes and counts actions without joining a million concerns
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", editable=False)
    description = models.TextField(_("action"), max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="actions_owned",
    )
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    principles = models.ManyToManyField(Principle, verbose_name=_("principles"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["unit"])

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "id"]
        indexes = [
            # overdue actions: not done, by due date (selectors.actions_overdue)
            models.Index(fields=["due_date"], name="action_open_due", condition=Q(done_at__isnull=True)),
            # overdue actions of a subtree: the unit's open actions by due date
            models.Index(fields=["unit", "due_date"], name="action_unit_open_due", condition=Q(done_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def save(self, *args, **kwargs):
        self.unit_id = self.concern.unit_id  # always its concern's unit, however the action is saved
        super().save(*args, **kwargs)


class Feedback(models.Model):
    """A callback (回访): the person who raised the concern says whether they are satisfied."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        ONLINE = "online", _("Online")
        SELF_SERVICE = "self_service", _("Self-service with receipt code")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    concern = models.ForeignKey(Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="feedback")
    date = models.DateField(_("date"), default=timezone.localdate)
    channel = models.CharField(_("channel"), max_length=15, choices=Channel.choices)
    satisfaction = models.CharField(_("satisfaction"), max_length=15, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["concern", "created_at"], name="feedback_concern_time")]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.get_satisfaction_display()}"


class ReferenceCounter(models.Model):
    """The last sequence number handed out per year for concern references (FW-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ReminderLog(models.Model):
    """One reminder digest mailed to a person on a day (send_reminders).

    The unique constraint is what makes a second run on the same day, or a run started at the
    same time on another machine, send nothing: the digest is claimed by inserting this row.
    """

    class Kind(models.TextChoices):
        OWNER = "owner", _("Owner digest")
        LEADER = "leader", _("Leader digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")
        ordering = ["-sent_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "sent_on"], name="reminderlog_unique_user_kind_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.sent_on:%Y-%m-%d}"


class PublicAttempt(models.Model):
    """One concern raised or one failed receipt-code look-up on the public channel (fieldwork.public).

    The rate limits count these rows, so every app server behind the proxy counts the same attempts.
    `key` is a keyed hash of the client address or of the unit, never the address itself.
    """

    class Kind(models.TextChoices):
        RAISE_ADDRESS = "raise_address", _("Concern raised, per address")
        RAISE_UNIT = "raise_unit", _("Concern raised, per unit")
        LOOKUP_FAILED = "lookup_failed", _("Failed code look-up, per address")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("public channel attempt")
        verbose_name_plural = _("public channel attempts")
        indexes = [
            # the rate limits: recent attempts of one kind by one key (public.rate_limit_wait)
            models.Index(fields=["kind", "key", "created_at"], name="publicattempt_kind_key_time"),
            # pruning: attempts older than the longest window (public.attempt_record)
            models.Index(fields=["created_at"], name="publicattempt_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class UnitMonth(models.Model):
    """The figures of a unit's subtree (the unit and everything below it) for one calendar month.

    Stored so that a dashboard reads a few dozen rows instead of scanning a million visits, and
    kept in step by rollups.py inside the transaction of every change it counts
    (`manage.py rebuild_rollups` recomputes them from scratch). Each counter is attributed to the
    month of its own date, in the configured time zone: visits to the visit's date, the
    "raised" counters to the month the concern was raised, the "resolved" counters to the month
    of its latest move into resolved, callbacks to the callback's date, `supervised` to the month
    the concern came under supervision (督办, `Concern.supervised_at`), `extensions_granted` to the
    month each extension request was approved. Withdrawn concerns count only in
    `concerns_withdrawn`. The maps are {id or days (as text): count}.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    visits = models.IntegerField(_("visits"), default=0)
    people_reached = models.BigIntegerField(_("people reached"), default=0)
    concerns_raised = models.IntegerField(_("concerns raised, not withdrawn"), default=0)
    concerns_withdrawn = models.IntegerField(_("concerns raised and withdrawn"), default=0)
    policy_limited = models.IntegerField(_("concerns raised and limited by policy"), default=0)
    resolved_now = models.IntegerField(_("concerns raised, not policy-limited, now resolved or closed"), default=0)
    policy_resolved = models.IntegerField(_("policy-limited concerns raised, now resolved or closed"), default=0)
    taken_up = models.IntegerField(_("concerns raised and taken up"), default=0)
    taken_up_in_time = models.IntegerField(_("concerns raised and taken up within the response limit"), default=0)
    not_taken_up = models.IntegerField(_("concerns raised, open and never taken up"), default=0)
    resolved = models.IntegerField(_("concerns resolved"), default=0)
    resolved_on_time = models.IntegerField(_("concerns resolved on or before their due date"), default=0)
    days_to_resolve = models.JSONField(_("concerns resolved, by whole days to resolve"), default=dict)
    callbacks = models.IntegerField(_("callbacks"), default=0)
    satisfied = models.IntegerField(_("callbacks satisfied or basically satisfied"), default=0)
    dissatisfied = models.IntegerField(_("callbacks dissatisfied"), default=0)
    visits_by_principle = models.JSONField(_("visits by principle"), default=dict)
    concerns_by_principle = models.JSONField(_("concerns raised by principle"), default=dict)
    concerns_by_category = models.JSONField(_("concerns raised by category"), default=dict)
    # Translators: 督办
    supervised = models.IntegerField(_("concerns that came under supervision"), default=0)
    # Translators: 延期
    extensions_granted = models.IntegerField(_("extension requests approved"), default=0)

    class Meta:
        verbose_name = _("monthly figures of a unit")
        verbose_name_plural = _("monthly figures of units")
        ordering = ["unit", "month"]
        constraints = [
            # also the index of every dashboard read: a unit's (or its children's) months
            models.UniqueConstraint(fields=["unit", "month"], name="unitmonth_unique_unit_month"),
        ]
        indexes = [
            # coverage: the units visited in a range of months (kept by UnitYear; this serves checks)
            models.Index(fields=["month", "unit"], name="unitmonth_visited", condition=Q(visits__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class CalendarDay(models.Model):
    """A day that breaks the weekday rule (settings.FIELDWORK["WORKING_WEEKDAYS"]): a public holiday
    on a weekday, or a weekend day worked instead (调休). fieldwork.workdays counts with these.

    Each row says where it came from (`source`): the State Council's notice, the `holidays` package
    (which carries the notices of the years it knows), or an estimate (the statutory holidays of a
    year whose notice is not out yet, without make-up days). A date counted over a year that rests
    on an estimate, or that has no rows at all, is marked as estimated wherever it is shown.
    Written only by workdays.calendar_load (manage.py load_holidays, the admin's notice form).
    """

    class Source(models.TextChoices):
        NOTICE = "notice", _("State Council notice")
        PACKAGE = "package", _("Holiday package (from the notice)")
        ESTIMATED = "estimated", _("Estimated (no notice yet)")

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), default=False, help_text=_("Ticked: a weekend day that is worked. Unticked: a day off.")
    )
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("For example 春节 or 调休上班."))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.NOTICE)
    # every load that adds, changes or replaces a day leaves its trace
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".rstrip()


class DueDateShift(models.Model):
    """A due date that a new calendar would move, waiting for a leader to apply it.

    When a year's notice replaces an estimate, the working days left to an open concern fall on
    other dates. A due date already told to a person is not moved silently: the load records what
    it would become, and a leader of the concern's unit applies the shifts in one step, each with
    its event on the timeline (services.concern_due_shifts_apply).
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="due_shifts", verbose_name=_("concern"))
    due_date_before = models.DateField(_("due date now"))
    due_date_after = models.DateField(_("due date under the new calendar"))
    year = models.PositiveSmallIntegerField(_("calendar year loaded"))
    created_at = models.DateTimeField(_("found at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )

    class Meta:
        verbose_name = _("due date shift")
        verbose_name_plural = _("due date shifts")
        ordering = ["due_date_before", "id"]
        constraints = [
            # one proposal per concern at a time: a later load replaces the one not yet applied
            models.UniqueConstraint(
                fields=["concern"], condition=Q(applied_at__isnull=True), name="due_shift_one_pending_per_concern"
            ),
        ]
        indexes = [
            # the leader's list of pending shifts (selectors.due_shifts_pending)
            models.Index(
                fields=["due_date_before", "id"], name="due_shift_pending", condition=Q(applied_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern.reference}: {self.due_date_before} → {self.due_date_after}"


class ExtensionRequest(models.Model):
    """An owner's request (延期申请) to move a concern's due date, and a leader's decision on it.

    Asked before the due date only: once it has passed the concern is overdue and is chased, not
    extended. An approval moves the due date through services.extension_decide.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    concern = models.ForeignKey(
        Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    due_date_before = models.DateField(_("due date when requested"))
    requested_due_date = models.DateField(_("requested due date"))
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["created_at", "id"]
        constraints = [
            # one request waiting at a time per concern: a repeated submit stops here too
            models.UniqueConstraint(
                fields=["concern"], condition=Q(status="pending"), name="extension_one_pending_per_concern"
            ),
            models.CheckConstraint(
                condition=Q(requested_due_date__gt=F("due_date_before")), name="extension_moves_the_date_later"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="extension_decided_has_time",
            ),
        ]
        indexes = [
            # the concern page's history of requests (and its one pending request)
            models.Index(fields=["concern", "created_at"], name="extension_concern_time"),
            # my work: requests waiting for a leader's decision
            models.Index(fields=["created_at"], name="extension_pending", condition=Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} → {self.requested_due_date:%Y-%m-%d} ({self.get_status_display()})"


class UnitNow(models.Model):
    """The concerns of a unit's subtree that are open or in progress now, as rollups.py keeps them.

    "Open now" and "overdue now" are not bound to a period, and counting them live scans every
    open concern of a subtree (a hundred thousand at the root of a large company). These two
    histograms hold them per day instead, so that the dashboard and the unit tree read one row
    per unit whatever the number of concerns: overdue today is the sum of the days before today.
    The third holds the open ones under supervision (督办) the same way.
    """

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    open_by_due = models.JSONField(_("open or in progress, by due date"), default=dict)
    waiting_by_raised = models.JSONField(_("of those, never taken up, by the day raised"), default=dict)
    # Translators: 督办
    supervised_by_due = models.JSONField(_("of those, under supervision, by due date"), default=dict)

    class Meta:
        verbose_name = _("open concerns of a unit")
        verbose_name_plural = _("open concerns of units")

    def __str__(self) -> str:
        return str(self.unit_id)


class UnitYear(models.Model):
    """The months of a year in which a unit's subtree had a visit, as twelve bits (January = 1).

    Coverage asks, for every grassroots unit of a subtree, whether it was visited in the period:
    one narrow row per unit and year answers that for any month, quarter or year, however many
    visits there were. Derived from UnitMonth.visits by rollups.py.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="visited_years")
    year = models.PositiveSmallIntegerField(_("year"))
    visited_months = models.PositiveIntegerField(_("months with a visit (bits, January = 1)"), default=0)

    class Meta:
        verbose_name = _("visited months of a unit")
        verbose_name_plural = _("visited months of units")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unityear_unique_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"
