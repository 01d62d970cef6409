"""Concerns and how they end: the timeline of events, follow-up actions, callbacks, extension
requests, due dates a new calendar would move, and the numbering of references."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..scope import ScopedQuerySet
from .labels import Category, Principle
from .units import Unit
from .visits import Visit


class ConcernQuerySet(ScopedQuerySet):
    """The questions asked of concerns again and again, each with its one answer."""

    def active(self) -> ConcernQuerySet:
        """Concerns still being worked on: open or in progress. Ask this instead of listing the
        statuses; it is the condition of the partial indexes `concern_open_due` and `concern_unit_open_due`."""
        return self.filter(status__in=self.model.ACTIVE_STATUSES)

    def overdue(self, today: datetime.date) -> ConcernQuerySet:
        """Active concerns whose due date is before `today`: the overdue list, my work and the leaders'
        digests ask this. How many working days late each one is, is workdays.days_overdue's question."""
        return self.active().filter(due_date__lt=today)


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
        CLOSED = "closed", _("Closed: the person is satisfied")
        # A final state apart from `closed`: the work was done, but after the set attempts on
        # different days nobody reached the person (services.callbacks.concern_close_unreachable).
        UNREACHABLE = "unreachable", _("Closed: the person could not be reached")
        # A final state apart from `closed`: a concern raised through the public channel without a
        # contact, whose person never answered on the tracking page within PUBLIC_NO_ANSWER_DAYS.
        NO_ANSWER = "no_answer", _("Closed: the person never answered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
    # The work is done: resolved, or finished after the resolution (satisfied, nobody could be
    # reached, or nobody answered). The resolution and on-time rates count these; the satisfaction
    # rate only callbacks.
    DONE_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.UNREACHABLE, Status.NO_ANSWER)

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
    # the worker the concern came from (never for an anonymous concern: a constraint below), and the
    # earlier concern this one repeats (selectors.similar_concerns offers the candidates)
    person = models.ForeignKey(
        "fieldwork.Person",
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
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
    # The callback clock (services.callbacks.callback_due_date): the day by which someone other than the
    # owner should have asked the person whether they are satisfied, CALLBACK_LIMIT_DAYS working days after
    # the resolution. Set when the concern is resolved, cleared when it leaves `resolved` (closed, reopened).
    callback_due = models.DateField(_("callback due"), null=True, blank=True, editable=False)
    # The day the concern joins the callback queue (services.concerns.concern_resolve): the day of the
    # resolution; for a public concern with a contact, the day the person's own window to answer on the
    # tracking page closes. None for a public concern without a contact: nobody can call, and it closes
    # as no answer on `callback_due` if the person never answers.
    callback_from = models.DateField(_("in the callback queue from"), null=True, blank=True, editable=False)

    # who changed what and when (history.py): every services.concerns._write adds one record. The contact and the
    # receipt code's hash are left out, so the history never shows them to someone the detail page hides them from.
    history = HistoricalRecords(excluded_fields=["raised_by_contact", "receipt_code", "updated_at", "version"])

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed", "unreachable", "no_answer"]) | ~Q(resolution=""),
                name="concern_resolved_has_resolution",
            ),
            models.UniqueConstraint(
                fields=["receipt_code"], condition=~Q(receipt_code=""), name="concern_receipt_code_unique"
            ),
            # anonymous stays anonymous: no worker is ever attached to an anonymous concern
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(person__isnull=True), name="concern_anonymous_no_person"
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
            # similar concerns: the recent ones of a unit and category (selectors.similar_concerns)
            models.Index(fields=["unit", "category", "-raised_at"], name="concern_unit_category_raised"),
            # concern list, newest first across a wide scope: walk this and stop at a page (views.concern_lists)
            models.Index(fields=["-raised_at", "-id"], name="concern_raised_id"),
            # the concern list filtered by status and priority (several statuses at once, too), newest first;
            # the unit lets the capped count read the index alone (views.concern_lists)
            models.Index(fields=["status", "priority", "-raised_at"], include=["unit"], name="concern_status_priority"),
            # my work: what a person owns, by status
            models.Index(fields=["owner", "status"], name="concern_owner_status"),
            # the callback queue, oldest first (selectors.callbacks_awaiting) and the callback ladder's candidates
            models.Index(fields=["callback_due", "id"], name="concern_callback_due", condition=Q(status="resolved")),
            # the same for a subtree or for the units a person belongs to (my work's queue)
            models.Index(
                fields=["unit", "callback_due"], name="concern_unit_callback_due", condition=Q(status="resolved")
            ),
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

    @property
    def is_done(self) -> bool:
        """Resolved, closed or closed as unreachable: the work is done (a dissatisfied callback may
        still reopen a resolved one)."""
        return self.status in self.DONE_STATUSES

    @property
    def awaits_callback(self) -> bool:
        """Resolved and waiting for the person who raised it to say whether they are satisfied."""
        return self.status == self.Status.RESOLVED

    def days_overdue(self, today=None) -> int:
        """Working days past the due date while the concern is still open; 0 otherwise."""
        if not self.is_active:
            return 0
        from .. import workdays  # workdays imports the models: import it only when it is needed

        return workdays.days_overdue(self.due_date, today or timezone.localdate())

    def due_date_estimated(self, today=None) -> bool:
        """Whether a date of this concern was counted over days whose calendar is only an estimate.

        Its due date, response limit and extensions are counted between the day it was raised and
        its due date, and its days overdue up to today while it is open (workdays.rests_on_estimate).
        """
        return Concern.dates_estimated(
            raised_on=timezone.localtime(self.raised_at).date(),
            due_date=self.due_date,
            active=self.is_active,
            today=today or timezone.localdate(),
        )

    @staticmethod
    def dates_estimated(
        *, raised_on: datetime.date, due_date: datetime.date, active: bool, today: datetime.date
    ) -> bool:
        """due_date_estimated from the fields alone, for exports that read rows as tuples."""
        from .. import workdays

        end = max(due_date, today) if active else due_date
        return workdays.rests_on_estimate(raised_on, end)


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
        # Translators: 转办
        TRANSFERRED = "transferred", _("Transferred to another unit")
        # The callback's own ladder (fieldwork.callback_ladder), apart from the due date's rungs.
        # Translators: 回访提醒
        CALLBACK_REMINDER = "callback_reminder", _("Callback reminder")
        # Translators: 回访催办
        CALLBACK_CHASE = "callback_chase", _("Callback chased")
        # Translators: 回访逾期，报上级领导
        CALLBACK_ESCALATE = "callback_escalate", _("Late callback sent to the leaders above")
        # A call that did not reach the person (CallbackAttempt): not a callback, no change of status.
        # Translators: 回访未联系上
        CALLBACK_ATTEMPT = "callback_attempt", _("Callback attempted: the person was not reached")
        # Translators: 无法联系，已关闭
        UNREACHABLE = "unreachable", _("Closed: the person could not be reached")
        # Translators: 群众未答复，已关闭
        NO_ANSWER = "no_answer", _("Closed: the person never answered")

    concern = models.ForeignKey(Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Concern.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Concern.Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Dates (ISO) and names the event's note speaks of, said in the reader's language (event_notes.display);
    # `note` then keeps only what a person wrote.
    data = models.JSONField(_("data"), default=dict, blank=True)
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

    @property
    def text(self) -> str:
        """The note as the reader reads it: dates in their language (event_notes)."""
        from ..event_notes import display

        return display(self.kind, self.data, self.note)


class FollowUpAction(models.Model):
    concern = models.ForeignKey(Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="actions")
    # the concern's unit, copied on every save (a concern changes unit only by a transfer, which moves
    # its actions along: services.transfers):
    # the overdue list scopes and counts actions without joining a million concerns
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
    # The concern's callback deadline when the callback was recorded: within the limit when `date` is on
    # or before it. None for callbacks recorded before deadlines existed: the within-limit share leaves
    # them out (they still count in the satisfaction rate).
    due_date = models.DateField(_("callback deadline"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["concern", "created_at"], name="feedback_concern_time")]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.get_satisfaction_display()}"


class CallbackAttempt(models.Model):
    """A call that did not reach the person who raised the concern: not a callback (回访).

    It never enters the satisfaction rate or the within-limit share; after
    FIELDWORK["CALLBACK_ATTEMPTS"] of them on different days a leader may close the concern as
    unreachable (services.callbacks).
    """

    concern = models.ForeignKey(
        Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="callback_attempts"
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(
        _("channel"),
        max_length=15,
        choices=[c for c in Feedback.Channel.choices if c[0] != Feedback.Channel.SELF_SERVICE],
        default=Feedback.Channel.PHONE,
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        ordering = ["at", "id"]
        # the concern page's attempts, and the queue's count and last day per concern
        indexes = [models.Index(fields=["concern", "at"], name="attempt_concern_time")]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.at:%Y-%m-%d %H:%M}"


class ExtensionRequest(models.Model):
    """An owner's request (延期申请) to move a concern's due date, and a leader's decision on it.

    Asked before the due date only: once it has passed the concern is overdue and is chased, not
    extended. An approval moves the due date through services.extensions.extension_decide.
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

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_refused(self) -> bool:
        return self.status == self.Status.REFUSED


class DueDateShift(models.Model):
    """A due date that a new calendar would move, waiting for a leader to apply it.

    When a year's notice replaces an estimate, the working days left to an open concern fall on
    other dates. A due date already told to a person is not moved silently: the load records what
    it would become, and a leader of the concern's unit applies the shifts in one step, each with
    its event on the timeline (services.concerns.concern_due_shifts_apply).
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


class ReferenceCounter(models.Model):
    """The last sequence number handed out per year for concern references (FW-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
