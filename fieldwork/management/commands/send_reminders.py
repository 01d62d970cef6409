"""Climb the chasing ladder, then mail each owner one digest of what they own that is overdue or
due soon, and each leader one digest of what is overdue in their units.

Public concerns whose person left no contact and never answered within their window close as no answer
(services.callbacks.concerns_close_no_answer), every day.

The ladder (fieldwork/ladder.py): on working days only, each open or in-progress
concern gets at most one rung a day, each rung once per due date, written as an event on the
concern: a reminder before the due date, a chase (催办) after it, supervision (督办) by the unit's
leaders, then a notice (通报) to the leaders above. The day's rungs head the digests of the people
they go to. Idempotent per day: the events themselves for the ladder, ReminderLog for the mail.

On a non-working day of the official calendar (a weekend, a public holiday; not a weekend day worked
instead, 调休) it climbs no rung and sends no digest, unless --even-on-holidays asks for the digests:
cron runs it every day, and the calendar decides."""

from __future__ import annotations

import argparse
import datetime
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fieldwork import callback_ladder, ladder, selectors, webhooks, workdays
from fieldwork.display import display_name
from fieldwork.models import Concern, FollowUpAction, Membership, ReminderLog
from fieldwork.services import callbacks

User = get_user_model()

CRON_LINE = "30 7 * * * cd /srv/fieldwork && .venv/bin/python manage.py send_reminders"


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from error


@dataclass
class Line:
    """One item of a digest, ready for the plain-text template."""

    reference: str
    title: str
    unit: str
    owner: str
    due_date: datetime.date
    days_overdue: int
    days_left: int
    url: str
    is_action: bool


def _owner_name(user) -> str:
    return display_name(user) if user else ""


def _lines(part: selectors.DigestPart, *, today: datetime.date, actions: bool) -> list[Line]:
    lines = []
    for row in part.rows:
        concern = row.concern if actions else row
        lines.append(
            Line(
                reference=concern.reference,
                title=row.description if actions else row.title,
                unit=concern.unit.name,
                owner=_owner_name(row.owner),
                due_date=row.due_date,
                days_overdue=selectors.days_overdue(row.due_date, today),
                days_left=(row.due_date - today).days,
                url=selectors.absolute_url(concern.get_absolute_url()),
                is_action=actions,
            )
        )
    return lines


class Command(BaseCommand):
    help = (
        "On working days, climb the chasing ladder first: remind owners N working days before a due date, "
        "chase (催办) on the first working day after it, put the concern under the supervision (督办) of the "
        "unit's leaders M working days later, and send a notice (通报) to the leaders above after that "
        "(settings FIELDWORK REMIND_BEFORE_WORKING_DAYS, SUPERVISE_AFTER_WORKING_DAYS, "
        "NOTICE_AFTER_WORKING_DAYS); each rung is written once, as an event on the concern. Then "
        "mail each owner one digest of the concerns and follow-up actions they own that are overdue or "
        "due within --days days, and each leader one digest of what is overdue in the units they lead. "
        "Each person gets at most one digest of each kind a day: a second run on the same day sends "
        "nothing, even one started at the same time on another machine. Mail goes through Django's "
        "email backend (EMAIL_URL). On a day that is not a working day of the calendar (weekends and "
        "public holidays, but not the weekend days worked instead, 调休) it climbs no rung and sends no "
        "digest, unless --even-on-holidays is given. Run it from cron every day, and the calendar "
        f"decides, e.g.: {CRON_LINE}"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="Remind owners of what falls due within this many days (default 3).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send and record nothing.")
        parser.add_argument(
            "--even-on-holidays",
            action="store_true",
            help=(
                "Send the digests on a non-working day too (a weekend or a public holiday of the calendar); "
                "the ladder still waits for the next working day."
            ),
        )
        parser.add_argument(
            "--today",
            type=_date,
            help=(
                "Act as if today were this date (YYYY-MM-DD); default: today in the configured time zone. "
                "The ladder's events are dated that day."
            ),
        )

    def handle(
        self,
        *args,
        days: int,
        dry_run: bool,
        today: datetime.date | None,
        even_on_holidays: bool = False,
        **options,
    ) -> None:
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        self.verbosity = options["verbosity"]
        self.dry_run = dry_run
        self.today = today or timezone.localdate()
        self.days = days
        self.sent = {ReminderLog.Kind.OWNER: 0, ReminderLog.Kind.LEADER: 0}
        self.failed = 0
        already = set(ReminderLog.objects.filter(sent_on=self.today).values_list("user_id", "kind"))

        self._calendar(dry_run=dry_run)
        with translation.override(settings.LANGUAGE_CODE):
            leaders = ladder.LeaderMap.load()
            self._ladder(leaders)
            self._callback_ladder(leaders)
            self._no_answer()
            if not even_on_holidays and not workdays.is_working_day(self.today):
                verb = "would be sent" if dry_run else "sent"
                self._note(
                    1,
                    f"{self.today} is not a working day: no digests {verb} "
                    "(--even-on-holidays sends them on such a day).",
                )
                return
            self.notices = {} if dry_run else ladder.ladder_mail(today=self.today, leaders=leaders)
            if not dry_run:  # late callbacks head the callers' own digests (fieldwork/callback_ladder.py)
                for key, notices in callback_ladder.callback_mail(today=self.today, leaders=leaders).items():
                    self.notices.setdefault(key, []).extend(notices)
            if not dry_run:  # the units' group robots: made here, sent by the task queue (fieldwork/webhooks.py)
                made = webhooks.webhook_deliveries_make(today=self.today, leaders=leaders, days=self.days)
                self._note(1 if made else 2, f"Made {made} group robot message(s) for {self.today}.")
            for user in self._recipients():
                for kind in (ReminderLog.Kind.OWNER, ReminderLog.Kind.LEADER):
                    if kind == ReminderLog.Kind.OWNER and user.pk not in self.owner_ids:
                        continue
                    if kind == ReminderLog.Kind.LEADER and user.pk not in self.leader_ids:
                        continue
                    if (user.pk, kind) in already:
                        self._note(2, f"{user.get_username()}: {kind} digest already sent on {self.today}.")
                        continue
                    self._digest(user, kind)

        verb = "Would send" if dry_run else "Sent"
        self._note(
            1,
            f"{verb} {self.sent[ReminderLog.Kind.OWNER]} owner digest(s) and "
            f"{self.sent[ReminderLog.Kind.LEADER]} leader digest(s) for {self.today}.",
        )
        if self.failed:
            raise CommandError(f"{self.failed} digest(s) could not be sent; they will be retried next run.")

    def _calendar(self, *, dry_run: bool) -> None:
        """Keep the calendar a year ahead (the package's notice, or an estimate) and say what the
        coming days rest on, so that a missing notice is seen every morning."""
        if not dry_run:
            for load in workdays.calendar_fill(workdays.years_in_use(self.today), today=self.today):
                self._note(1, f"Calendar {load.year}: {load.created} day(s) added from the holidays package.")
                if load.shifts:
                    self._note(1, f"{len(load.shifts)} open concern(s) would change due date; a leader applies them.")
        coverage = workdays.status_lines(self.today)[-1]
        self._note(0 if coverage.startswith("WARNING") else 2, coverage)

    def _ladder(self, leaders: ladder.LeaderMap) -> None:
        """Write today's rung of the ladder for each concern due one (nothing on a non-working day)."""
        if not workdays.is_working_day(self.today):
            self._note(1, f"{self.today} is not a working day: no reminders, chases or notices.")
            return
        written = {}
        for concern, rung in ladder.concerns_due_a_rung(today=self.today):
            if self.dry_run:
                event_kind = rung
                self._note(2, f"{concern.pk}: would write {rung}.")
            else:
                event = ladder.concern_ladder_advance(concern=concern, today=self.today, leaders=leaders)
                if event is None:
                    continue
                event_kind = event.kind
                self._note(2, f"{concern.pk}: {event_kind}.")
            written[event_kind] = written.get(event_kind, 0) + 1
        verb = "Would write" if self.dry_run else "Wrote"
        counts = ", ".join(f"{written.get(kind, 0)} {kind}" for kind in ladder.LADDER_KINDS)
        self._note(1, f"{verb} ladder events for {self.today}: {counts}.")

    def _callback_ladder(self, leaders: ladder.LeaderMap) -> None:
        """Write today's rung of the callback ladder for each late callback (none on a non-working day)."""
        written = callback_ladder.callback_ladder_run(today=self.today, leaders=leaders, dry_run=self.dry_run)
        counts = ", ".join(f"{written.get(kind, 0)} {kind}" for kind in callback_ladder.CALLBACK_KINDS)
        self._note(
            1, f"{'Would write' if self.dry_run else 'Wrote'} callback ladder events for {self.today}: {counts}."
        )

    def _no_answer(self) -> None:
        """Close the public concerns whose person left no contact and never answered on the tracking page
        within their window (services.callbacks.concerns_close_no_answer). Every day, working or not: the
        window was counted in working days, and its end has passed."""
        closed = callbacks.concerns_close_no_answer(today=self.today, dry_run=self.dry_run)
        self._note(1, f"{'Would close' if self.dry_run else 'Closed'} {closed} concern(s) as no answer.")

    def _recipients(self):
        """Active users who own something due by the horizon or have a rung of the ladder today,
        and active leaders of active units."""
        horizon = self.today + datetime.timedelta(days=self.days)
        self.owner_ids = (
            set(
                Concern.objects.active()
                .filter(due_date__lte=horizon, owner__isnull=False)
                .values_list("owner_id", flat=True)
                .order_by()
                .distinct()
            )
            | set(
                FollowUpAction.objects.filter(done_at__isnull=True, due_date__lte=horizon)
                .values_list("owner_id", flat=True)
                .order_by()
                .distinct()
            )
            | {user_id for user_id, kind in self.notices if kind == ReminderLog.Kind.OWNER}
        )
        self.leader_ids = set(
            Membership.objects.filter(role=Membership.Role.LEADER, unit__active=True)
            .values_list("user_id", flat=True)
            .order_by()
            .distinct()
        )
        return User.objects.filter(pk__in=self.owner_ids | self.leader_ids, is_active=True).order_by("pk")

    def _digest(self, user, kind: str) -> None:
        if kind == ReminderLog.Kind.OWNER:
            concerns, actions = selectors.owner_digest(user=user, today=self.today, days=self.days)
        else:
            concerns, actions = selectors.leader_digest(user=user, today=self.today)
        notices = self.notices.get((user.pk, kind), [])
        if not concerns.rows and not actions.rows and not notices:
            return
        if not user.email:
            self._note(2, f"{user.get_username()}: has no email address; {kind} digest skipped.")
            return
        message = self._message(user, kind, concerns, actions, notices)
        if self.dry_run:
            self._note(1, f"{user.email}: {message.subject}")
            self._note(2, message.body)
            self.sent[kind] += 1
            return
        # Claim the digest and send it in one transaction: the row is committed only once the
        # backend has accepted the mail, so a failed send is retried next run, and a second run
        # (even one started at the same moment elsewhere) stops at the unique constraint.
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, kind=kind, sent_on=self.today)
                message.send()
        except IntegrityError:
            self._note(2, f"{user.get_username()}: {kind} digest sent by another run.")
            return
        except (smtplib.SMTPException, OSError) as error:
            self.failed += 1
            self.stderr.write(f"{user.email}: {kind} digest not sent: {error}")
            return
        self.sent[kind] += 1
        self._note(2, f"{user.email}: {message.subject}")

    def _message(self, user, kind: str, concerns, actions, notices) -> EmailMessage:
        today = self.today
        concern_lines = _lines(concerns, today=today, actions=False)
        action_lines = _lines(actions, today=today, actions=True)
        total = concerns.total + actions.total
        capped = concerns.capped or actions.capped
        shown = f"{total}+" if capped else str(total)
        overdue_url = reverse("fieldwork:overdue-list")
        if kind == ReminderLog.Kind.OWNER:
            subject = ngettext(
                "Fieldwork: %(count)s item of yours is overdue or due soon",
                "Fieldwork: %(count)s items of yours are overdue or due soon",
                total,
            ) % {"count": shown}
            template = "fieldwork/overdue/mail/owner_digest.txt"
            overdue_url += f"?owner={user.pk}"
        else:
            subject = ngettext(
                "Fieldwork: %(count)s item overdue in your units",
                "Fieldwork: %(count)s items overdue in your units",
                total,
            ) % {"count": shown}
            template = "fieldwork/overdue/mail/leader_digest.txt"
        if not total:
            subject = ngettext(
                "Fieldwork: %(count)s chasing notice for you",
                "Fieldwork: %(count)s chasing notices for you",
                len(notices),
            ) % {"count": len(notices)}
        body = render_to_string(
            template,
            {
                "name": _owner_name(user),
                "today": today,
                "days": self.days,
                "concerns": concern_lines,
                "actions": action_lines,
                "notices": notices,
                "concerns_more": concerns.more,
                "actions_more": actions.more,
                "capped": capped,
                "overdue_url": selectors.absolute_url(overdue_url),
                "my_work_url": selectors.absolute_url(reverse("fieldwork:my-work")),
                "signature": _("Fieldwork: the people's satisfaction is the measure of our work."),
            },
        )
        return EmailMessage(subject=subject, body=body, to=[user.email])

    def _note(self, level: int, text: str) -> None:
        if self.verbosity >= level:
            self.stdout.write(text)
