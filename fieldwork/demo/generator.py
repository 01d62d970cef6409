"""The generator: visits in date order, each with its concerns and their whole lives up to "now".

What it builds is split by subject, one mixin a module: visits.py (visits and the concerns heard on
them), lifecycle.py (each concern's life: taken up, assessed, actions, resolved, callbacks, reopened,
closed or withdrawn), chasing.py (extension requests and the chasing ladder's rungs), and
public_channel.py (concerns raised through the public channel and their receipt codes). Every rule
it follows is the domain's own, asked through clock.DemoCalendar and the services' note functions.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings

from .. import ladder
from ..display import display_name
from ..models import Category, Principle
from .chasing import Chasing
from .clock import Clock, DemoCalendar
from .lifecycle import Lifecycle
from .people import Org
from .public_channel import PublicChannel
from .texts import CATEGORY_TEXTS, VISIT_CLOSINGS, VISIT_FORMS, VISIT_TOPICS
from .values import cumulative, pool
from .visits import Visits


class Generator(Visits, Lifecycle, Chasing, PublicChannel):
    """Rows as plain tuples, a chunk of visits at a time (`chunks`), drawn from one random.Random."""

    def __init__(self, *, rng: random.Random, org: Org, clock: Clock, last_ids: dict[str, int], sink: Any) -> None:
        self.rng, self.org, self.clock = rng, org, clock
        self.null, self.true, self.false = sink.NULL, sink.TRUE, sink.FALSE
        self.ids = dict(last_ids)
        self.references: dict[int, int] = {}
        self.due_days = {k: int(v) for k, v in settings.FIELDWORK["DUE_DAYS"].items()}
        self.calendar = DemoCalendar(clock)
        self.codes_shown = settings.DEBUG  # see public_channel.py
        self.notes: dict = {}  # the services' notes, by function and arguments (see note)
        self.recipients: dict[tuple, tuple[list[str], str]] = {}  # see chasing.Chasing.rung_note
        self.schedules: dict[tuple[int, int], list] = {}  # see chasing.Chasing.schedule
        self.rung_notes: dict[tuple[str, int, int], str] = {}  # see chasing.Chasing.rung_note
        self.principles = list(Principle.objects.order_by("ordering", "code").values_list("pk", flat=True))
        codes = dict(Category.objects.values_list("code", "pk"))
        if not codes or not self.principles:
            raise LookupError("No categories or principles: run `manage.py migrate` first.")
        fallback = codes.get("other", next(iter(codes.values())))
        self.categories = {
            code: (codes.get(code, fallback), titles, descriptions, resolutions)
            for code, (_w, titles, descriptions, resolutions) in CATEGORY_TEXTS.items()
        }
        self.category_pool = pool([(code, w) for code, (w, *_rest) in CATEGORY_TEXTS.items()])
        self.users = {u.id: u for u in org.users}
        self.names = {u.id: display_name(u) for u in org.users}
        # The leaders as ladder.LeaderMap holds them, for ladder.ladder_recipients.
        self.leaders = ladder.LeaderMap(
            by_unit={u.id: [self.users[u.leader]] for u in org.units if u.leader},
            units={u.id: u for u in org.units},
        )
        self.visited = [u for u in org.units if u.weight > 0]
        self.visited_cum = cumulative([u.weight for u in self.visited])
        self.leaves = [u for u in self.visited if not u.children]
        self.leaves_cum = cumulative([u.weight for u in self.leaves])
        self.forms = {form: (people, locations) for form, _w, people, locations, _o in VISIT_FORMS}
        self.form_pool = pool([(form, w) for form, w, *_rest in VISIT_FORMS])
        self.summaries = {
            form: [
                opener + topic + "；" + rng.choice(VISIT_TOPICS) + "。" + rng.choice(VISIT_CLOSINGS)
                for opener in openers
                for topic in VISIT_TOPICS
            ]
            for form, _w, _p, _l, openers in VISIT_FORMS
        }
        p = self.principles
        self.principle_sets = [[a] for a in p] * 4 + [[a, b] for a in p for b in p if a < b] * 2
        self.principle_sets += [[a, b, c] for a in p for b in p for c in p if a < b < c]
        self.concern_counts = pool([(0, 5), (1, 4), (2, 2), (3, 1)])
        self.action_counts = pool([(1, 2), (2, 4), (3, 2), (4, 1)])
        self.priority_pool = pool([("urgent", 3), ("normal", 13), ("long_term", 4)])
        self.solvability_pool = pool([("now", 62), ("long_term", 28), ("policy", 10)])
        self.rows: dict[str, list[tuple]] = {}

    def note(self, function, *args) -> str:
        """function(*args), one of the services' note functions, remembered by its arguments (one of
        them alone, or their tuple) in self.notes[function]: most notes repeat."""
        seen = self.notes.setdefault(function, {})
        key = args[0] if len(args) == 1 else args
        found = seen.get(key)
        if found is None:
            found = seen[key] = function(*args)
        return found
