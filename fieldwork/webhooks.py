"""Group robots: the day's digests, 催办 and 督办 posted to a unit's 企业微信 or 钉钉 group, one rule each.

- Where a robot may point: `webhook_url_refusal` (settings.FIELDWORK["WEBHOOK_HOSTS"], HTTPS only unless an
  entry says http:// for one address), checked in the admin form and again before every request.
- What is posted: `webhook_payload` in each platform's documented JSON (企业微信 group robot: msgtype
  markdown, markdown.content; 钉钉 custom robot: msgtype markdown, markdown.title and .text), carrying
  references, units, dates and counts only — never a title, a name or a contact, which may name the person
  who raised the concern. In the installation's language (LANGUAGE_CODE), dates as the language writes them.
- Which messages: `webhook_deliveries_make`, called by send_reminders after the ladder: per robot and day,
  one digest of what is overdue or due soon in its unit and below, one 催办 message with the day's chases,
  one 督办 message with the day's supervisions and notices. A chase goes to the robot of the concern's
  unit, or of the nearest unit above that has one; 督办 and 通报 to the robot of the unit whose leaders
  they go to (ladder.ladder_recipients), or the nearest above. Late callbacks (fieldwork.callback_ladder)
  go along: their 催办 in the 催办 message of the callers' unit, their escalation to the leaders above in
  the 督办 message of those leaders' unit (callback_ladder.callback_recipients), with the callback deadline.
  Each is a WebhookDelivery row, unique per (robot, kind, day): a second run of the day makes nothing new.
- Sending: the task `webhook_deliver` (the task queue, fieldwork/tasks.py) calls `delivery_send`, which
  claims the row with one conditional UPDATE (so two workers send it once), posts it with a short timeout
  and no redirects, and retries later (WEBHOOK_RETRY_SECONDS, doubling, at most WEBHOOK_ATTEMPTS tries)
  only on a connection error or timeout, a 5xx answer, or the platform's error code (errcode != 0); any
  other answer (a 4xx) is final.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field

import urllib3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from . import callback_ladder, ladder, workdays
from .models import Concern, ConcernEvent, Unit, UnitWebhook, WebhookDelivery
from .selectors import absolute_url

LINES_SHOWN = 10  # concerns listed in one message; the rest are counted

# --- where a robot may point -----------------------------------------------------------------------


def _allowed() -> set[tuple[str, str, int]]:
    """{(scheme, host, port)} from the allow-list setting."""
    allowed = set()
    for entry in settings.FIELDWORK.get("WEBHOOK_HOSTS", ()):
        entry = entry.strip().lower()
        scheme = "http" if entry.startswith("http://") else "https"
        netloc = entry.split("://", 1)[-1].rstrip("/")
        parts = urllib.parse.urlsplit(f"//{netloc}")
        if parts.hostname:
            allowed.add((scheme, parts.hostname, parts.port or (80 if scheme == "http" else 443)))
    return allowed


def webhook_url_refusal(url: str) -> str | None:
    """Why this webhook address may not be used, or None when it may: HTTPS (or an http:// entry of the
    allow-list) to a host and port on settings.FIELDWORK["WEBHOOK_HOSTS"], with no user name in it."""
    try:
        parts = urllib.parse.urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return _("This is not a web address.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("This is not a web address.")
    if parts.username is not None or parts.password is not None:
        return _("A webhook address may not carry a user name or password.")
    scheme = parts.scheme.lower()
    key = (scheme, parts.hostname.lower(), port or (80 if scheme == "http" else 443))
    if key in _allowed():
        return None
    if scheme == "http" and ("https", key[1], port or 443) in _allowed():
        return _("Use the https:// address the platform gives.")
    return _(
        "This host is not on the list of allowed webhook hosts (%(hosts)s); an administrator of the server sets it."
    ) % {"hosts": ", ".join(settings.FIELDWORK.get("WEBHOOK_HOSTS", ())) or "—"}


def webhook_signed_url(url: str, secret: str, *, now_ms: int | None = None) -> str:
    """钉钉's signed robot: the address with timestamp (milliseconds) and sign = url-encoded base64 of
    HMAC-SHA256, keyed by the secret, of "timestamp\\nsecret". Made at send time: 钉钉 refuses a
    signature more than an hour old."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def webhook_url_shown(url: str) -> str:
    """The address with the values of its query (企业微信's key, 钉钉's access_token) cut to four
    characters: for lists, where it identifies the robot without giving anyone the means to post."""
    parts = urllib.parse.urlsplit(url)
    query = "&".join(
        f"{name}={value[:4]}…" if value else name for name, value in urllib.parse.parse_qsl(parts.query, True)
    )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


# --- what is posted ---------------------------------------------------------------------------------


def webhook_payload(platform: str, *, title: str, text: str) -> dict:
    """The message in the platform's documented JSON (both show markdown, with links)."""
    if platform == UnitWebhook.Platform.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _line(concern: Concern, *, today: datetime.date, label: str = "") -> str:
    """One concern: its reference (a link), unit, due date and working days overdue. Nothing typed."""
    late = workdays.days_overdue(concern.due_date, today)
    link = f"[{concern.reference}]({absolute_url(concern.get_absolute_url())})"
    if late:
        text = ngettext(
            "%(reference)s, %(unit)s, due %(date)s, %(days)s working day overdue",
            "%(reference)s, %(unit)s, due %(date)s, %(days)s working days overdue",
            late,
        )
    else:
        text = _("%(reference)s, %(unit)s, due %(date)s")
    text = text % {"reference": link, "unit": concern.unit.name, "date": _date(concern.due_date), "days": late}
    return f"- {label}{text}"


def _callback_line(concern: Concern, *, today: datetime.date, label: str) -> str:
    """A late callback: the concern's reference (a link), unit, callback deadline and working days late."""
    link = f"[{concern.reference}]({absolute_url(concern.get_absolute_url())})"
    if concern.callback_due is None:  # called back since the rung was written
        return f"- {label}{link}, {concern.unit.name}"
    late = workdays.days_overdue(concern.callback_due, today)
    text = ngettext(
        "%(reference)s, %(unit)s, callback due %(date)s, %(days)s working day late",
        "%(reference)s, %(unit)s, callback due %(date)s, %(days)s working days late",
        late,
    ) % {"reference": link, "unit": concern.unit.name, "date": _date(concern.callback_due), "days": late}
    return f"- {label}{text}"


def _more(count: int) -> list[str]:
    if count <= 0:
        return []
    return [ngettext("%(count)s more not listed.", "%(count)s more not listed.", count) % {"count": count}]


def _message(platform: str, *, title: str, lines: Iterable[str]) -> dict:
    text = "\n".join([f"### {title}", *lines])
    return webhook_payload(platform, title=title, text=text)


def _digest(target: UnitWebhook, *, today: datetime.date, days: int) -> dict | None:
    """What is overdue (and due within `days` days) in the robot's unit and below; None when nothing."""
    active = Concern.objects.active().filter(unit__path__startswith=target.unit.path)
    overdue = active.filter(due_date__lt=today)
    overdue_count = overdue.count()
    soon_count = active.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days)).count()
    if not overdue_count and not soon_count:
        return None
    shown = list(overdue.select_related("unit").order_by("due_date", "id")[:LINES_SHOWN])
    title = _("%(unit)s: overdue concerns on %(date)s") % {"unit": target.unit.name, "date": _date(today)}
    summary = _("%(overdue)s overdue, %(soon)s due within %(days)s days.") % {
        "overdue": overdue_count,
        "soon": soon_count,
        "days": days,
    }
    lines = [summary, *(_line(concern, today=today) for concern in shown), *_more(overdue_count - len(shown))]
    lines.append(f"[{_('Open the overdue list')}]({absolute_url(reverse('fieldwork:overdue-list'))})")
    return _message(target.platform, title=title, lines=lines)


def _rungs(target: UnitWebhook, kind: str, events: list[ConcernEvent], *, today: datetime.date) -> dict:
    values = {"date": _date(today), "count": len(events), "unit": target.unit.name}
    callbacks = any(event.kind in callback_ladder.CALLBACK_KINDS for event in events)
    if kind == WebhookDelivery.Kind.CHASE and callbacks:
        title = ngettext(
            "Chases (催办) on %(date)s in %(unit)s: %(count)s concern overdue or awaiting a late callback",
            "Chases (催办) on %(date)s in %(unit)s: %(count)s concerns overdue or awaiting a late callback",
            len(events),
        )
    elif kind == WebhookDelivery.Kind.CHASE:
        title = ngettext(
            "Chases (催办) on %(date)s: %(count)s concern overdue in %(unit)s",
            "Chases (催办) on %(date)s: %(count)s concerns overdue in %(unit)s",
            len(events),
        )
    else:
        title = ngettext(
            "Supervision (督办) on %(date)s: %(count)s concern for the leaders of %(unit)s",
            "Supervision (督办) on %(date)s: %(count)s concerns for the leaders of %(unit)s",
            len(events),
        )
    title = title % values
    labels = {
        ConcernEvent.Kind.SUPERVISED: _("Supervised: "),
        ConcernEvent.Kind.NOTICE: _("Notice: "),
        ConcernEvent.Kind.CALLBACK_CHASE: _("Callback late: "),
        ConcernEvent.Kind.CALLBACK_ESCALATE: _("Callback late, to the leaders above: "),
    }
    shown = events[:LINES_SHOWN]
    lines = [
        (_callback_line if event.kind in callback_ladder.CALLBACK_KINDS else _line)(
            event.concern, today=today, label=labels.get(event.kind, "")
        )
        for event in shown
    ]
    return _message(target.platform, title=title, lines=[*lines, *_more(len(events) - len(shown))])


# --- which messages ---------------------------------------------------------------------------------

_FLAG = {
    WebhookDelivery.Kind.DIGEST: "send_digests",
    WebhookDelivery.Kind.CHASE: "send_chases",
    WebhookDelivery.Kind.SUPERVISION: "send_supervision",
}


@dataclass
class _Robots:
    """The active robots of active units, read once: {unit id: [robots]}."""

    by_unit: dict[int, list[UnitWebhook]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Robots:
        robots = cls()
        queryset = UnitWebhook.objects.filter(active=True, unit__active=True).select_related("unit")
        for robot in queryset.order_by("unit_id", "id"):
            robots.by_unit.setdefault(robot.unit_id, []).append(robot)
        return robots

    def all(self, kind: str) -> list[UnitWebhook]:
        return [robot for robots in self.by_unit.values() for robot in robots if getattr(robot, _FLAG[kind])]

    def nearest(self, unit: Unit, kind: str) -> list[UnitWebhook]:
        """The robots taking `kind` of the unit, or of the nearest unit above it that has any."""
        for unit_id in reversed([int(part) for part in unit.path.strip("/").split("/") if part]):
            found = [robot for robot in self.by_unit.get(unit_id, []) if getattr(robot, _FLAG[kind])]
            if found:
                return found
        return []


def _rung_events(today: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return (
        ConcernEvent.objects.filter(
            kind__in=(*ladder.LADDER_KINDS, ConcernEvent.Kind.CALLBACK_CHASE, ConcernEvent.Kind.CALLBACK_ESCALATE),
            actor__isnull=True,
            created_at__gte=start,
            created_at__lt=start + datetime.timedelta(days=1),
        )
        .exclude(kind=ConcernEvent.Kind.REMINDED)
        .select_related("concern__unit", "concern__owner")
        .order_by("created_at", "id")
    )


def webhook_deliveries_make(*, today: datetime.date, leaders: ladder.LeaderMap, days: int = 3) -> int:
    """Make the day's messages for every active robot and enqueue them; return how many were made.

    Run after the day's rungs are written (send_reminders). A second run that day makes none (the unique
    constraint), and enqueues again only what is still waiting, which a worker sends once.
    """
    robots = _Robots.load()
    if not robots.by_unit:
        return 0
    messages: dict[tuple[int, str], dict] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for robot in robots.all(WebhookDelivery.Kind.DIGEST):
            payload = _digest(robot, today=today, days=days)
            if payload is not None:
                messages[(robot.pk, WebhookDelivery.Kind.DIGEST)] = payload
        grouped: dict[tuple[int, str], tuple[UnitWebhook, list[ConcernEvent]]] = {}
        callers = callback_ladder.Callers()
        for event in _rung_events(today):
            if event.kind == ConcernEvent.Kind.CHASED:
                kind, unit = WebhookDelivery.Kind.CHASE, event.concern.unit
            elif event.kind in callback_ladder.CALLBACK_KINDS:
                # 催办 of a late callback: the group of the callers' unit; its escalation: that of the
                # leaders above (callback_ladder.callback_recipients), each or the nearest above with a robot
                _people, level = callback_ladder.callback_recipients(
                    event.concern, event.kind, callers=callers, leaders=leaders
                )
                kind = (
                    WebhookDelivery.Kind.CHASE
                    if event.kind == ConcernEvent.Kind.CALLBACK_CHASE
                    else WebhookDelivery.Kind.SUPERVISION
                )
                unit = level or event.concern.unit
            else:
                _people, level = ladder.ladder_recipients(event.concern, event.kind, leaders)
                kind, unit = WebhookDelivery.Kind.SUPERVISION, level or event.concern.unit
            for robot in robots.nearest(unit, kind):
                grouped.setdefault((robot.pk, kind), (robot, []))[1].append(event)
        for (robot_id, kind), (robot, events) in grouped.items():
            messages[(robot_id, kind)] = _rungs(robot, kind, events, today=today)
    made = 0
    for (robot_id, kind), payload in messages.items():
        try:
            with transaction.atomic():
                now = timezone.now()
                delivery = WebhookDelivery.objects.create(
                    target_id=robot_id, kind=kind, day=today, payload=payload, next_attempt_at=now, created_at=now
                )
                webhook_deliver.enqueue(delivery_id=delivery.pk)
        except IntegrityError:
            # Made by an earlier run of the day: enqueued again only if never tried (its task lost),
            # and then still sent once, by whichever worker claims it first.
            waiting = WebhookDelivery.objects.filter(
                target_id=robot_id, kind=kind, day=today, status=WebhookDelivery.Status.PENDING, attempts=0
            ).values_list("pk", flat=True)
            for delivery_id in waiting:
                webhook_deliver.enqueue(delivery_id=delivery_id)
            continue
        made += 1
    return made


# --- sending ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    sent: bool
    retry: bool
    error: str = ""


def _post(delivery: WebhookDelivery) -> Outcome:
    target = delivery.target
    refusal = webhook_url_refusal(target.url)
    if refusal:
        return Outcome(sent=False, retry=False, error=refusal)
    url = target.url.strip()
    if target.platform == UnitWebhook.Platform.DINGTALK and target.secret:
        url = webhook_signed_url(url, target.secret)
    seconds = settings.FIELDWORK.get("WEBHOOK_TIMEOUT_SECONDS", 5)
    http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=seconds, read=seconds))
    try:
        response = http.request(
            "POST",
            url,
            body=json.dumps(delivery.payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            redirect=False,
            preload_content=True,
        )
    except urllib3.exceptions.HTTPError as error:  # connection refused or reset, timeout, TLS
        return Outcome(sent=False, retry=True, error=f"{type(error).__name__}: {error}"[:500])
    finally:
        http.clear()
    if response.status >= 500:
        return Outcome(sent=False, retry=True, error=f"HTTP {response.status}")
    if response.status >= 300:
        return Outcome(
            sent=False, retry=False, error=f"HTTP {response.status}: {response.data[:200].decode(errors='replace')}"
        )
    try:
        answer = json.loads(response.data or b"{}")
        code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    except ValueError:
        return Outcome(sent=False, retry=True, error="HTTP 200 without JSON")
    if code not in (0, "0"):
        return Outcome(sent=False, retry=True, error=f"errcode {code}: {str(answer.get('errmsg', ''))[:200]}")
    return Outcome(sent=True, retry=False)


def _stale_claim(now: datetime.datetime) -> datetime.datetime:
    """A claim older than this was lost with its worker (a try lasts at most twice the timeout)."""
    return now - datetime.timedelta(seconds=4 * settings.FIELDWORK.get("WEBHOOK_TIMEOUT_SECONDS", 5) + 60)


def delivery_send(*, delivery_id: int) -> str:
    """Send one message if it is due and nobody else is sending it; record what came of it.

    The claim is one UPDATE … WHERE status is waiting: of two workers, the second finds it claimed and
    sends nothing. Returns what happened, for the task's result.
    """
    now = timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=WebhookDelivery.Status.SENDING, claimed_at__lt=_stale_claim(now))
        )
        .update(status=WebhookDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "not due, or claimed by another worker"
    delivery = WebhookDelivery.objects.select_related("target").get(pk=delivery_id)
    if not delivery.target.active:
        outcome = Outcome(sent=False, retry=False, error=_("The group robot was deactivated."))
    else:
        outcome = _post(delivery)
    done = timezone.now()
    if outcome.sent:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.SENT, sent_at=done, last_error=""
        )
        return "sent"
    fw = settings.FIELDWORK
    if not outcome.retry or delivery.attempts >= fw.get("WEBHOOK_ATTEMPTS", 5):
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.FAILED, last_error=outcome.error
        )
        return f"failed: {outcome.error}"
    wait = datetime.timedelta(seconds=fw.get("WEBHOOK_RETRY_SECONDS", 60) * 2 ** (delivery.attempts - 1))
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.PENDING, next_attempt_at=done + wait, last_error=outcome.error
        )
        webhook_deliver.using(run_after=done + wait).enqueue(delivery_id=delivery_id)
    return f"retry after {wait}: {outcome.error}"


@task
def webhook_deliver(*, delivery_id: int) -> str:
    """Send one group robot message (delivery_send)."""
    return delivery_send(delivery_id=delivery_id)
