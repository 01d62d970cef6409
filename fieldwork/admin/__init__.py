"""The admin: master data for staff, scoped like the app (scoping.py).

- people.py: units, memberships and accounts, granted only within the staff user's own units;
- reference.py: principles and categories (deactivated, never deleted, once in use) and the calendar;
- domain.py: visits, concerns, actions, callbacks and extension requests, read-only (they change in
  the app, through the services);
- talks.py: confidential notes of heart-to-heart talks, shown as "confidential" only;
- tasks.py: the task queue's results, for superusers;
- ties.py: contact points (联系点), assigned and ended through their services;
- webhooks.py: the units' group robots (企业微信, 钉钉) and the messages posted to them (read-only).
Nothing a person recorded is deleted here; what may be deleted leaves a LogEntry.
"""

from . import domain, people, reference, talks, tasks, ties, webhooks

__all__ = ["domain", "people", "reference", "talks", "tasks", "ties", "webhooks"]
