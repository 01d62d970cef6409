"""The dashboard's long tables written in one pass: `{% load dashboard %}`, then
`{% dashboard_child_rows child_rows %}`.

The child table of the root has a row per unit below it, nine linked figures each: through the
template language every value is a variable lookup, an escape and a localisation, which was most of
the page's Python. The markup is the template's own (tests/dashboard_speed pin it); the values are
plain digits as `{{ value }}` writes them (no digit grouping) and every text and address is escaped.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def leads_a_unit(user) -> bool:
    """Whether the navigation offers the Dashboard: a leader of some unit, or a superuser (no query
    beyond the memberships every scoped page reads, cached on the user)."""
    from ..scope import leads_anything

    return bool(getattr(user, "is_authenticated", False)) and leads_anything(user)


def coverage_cell(coverage, url: str) -> str:
    """The coverage of a child: "visited/all" (2/3) when too few to compare a rate, else the rate and
    then "visited/all" small. `url` is escaped by the caller."""
    counts = f"{coverage.numerator:d}/{coverage.denominator:d}"
    if coverage.value is None:
        return f'<td class="text-end"><a href="{url}">{counts}</a></td>'
    return (
        f'<td class="text-end"><a href="{url}">{escape(coverage.percent)}</a> '
        f'<span class="small text-body-secondary">({counts})</span></td>'
    )


@register.simple_tag
def dashboard_child_rows(child_rows: list[dict]) -> SafeString:
    """The `<tr>` of each child unit: its name to its dashboard, its rates and counts to their lists."""
    lines = []
    for item in child_rows:
        row = item["row"]
        coverage = row.coverage
        raised = escape(item["raised_url"])
        overdue_class = "overdue" if row.overdue else ""
        lines.append(
            "<tr>"
            f'<th scope="row"><a href="{escape(item["dashboard_url"])}">{escape(row.unit.name)}</a></th>'
            + coverage_cell(coverage, escape(item["visits_url"]))
            + f'<td class="text-end"><a href="{raised}">{escape(row.response.percent)}</a></td>'
            f'<td class="text-end"><a href="{raised}">{escape(row.resolution.percent)}</a></td>'
            f'<td class="text-end"><a href="{escape(item["callbacks_url"])}">'
            f"{escape(row.satisfaction.percent)}</a></td>"
            f'<td class="text-end"><a href="{escape(item["open_url"])}">{row.open:d}</a></td>'
            f'<td class="text-end"><a href="{escape(item["overdue_url"])}" class="{overdue_class}">'
            f"{row.overdue:d}</a></td>"
            f'<td class="text-end"><a href="{escape(item["supervised_url"])}">{row.supervised_now:d}</a></td>'
            f'<td class="text-end"><a href="{escape(item["extended_url"])}">{row.extensions_granted:d}</a></td>'
            "</tr>"
        )
    return mark_safe("\n".join(lines))


@register.simple_tag
def dashboard_bars(chart: dict) -> SafeString:
    """A bar chart's bars, each with its title, then the month under each group (views.dashboards
    ._bar_chart gives the geometry)."""
    bars = "".join(
        f'<rect class="bar-{bar["series"]}" x="{bar["x"]}" y="{bar["y"]}" width="{bar["width"]}" '
        f'height="{bar["height"]}"><title>{escape(bar["title"])}</title></rect>'
        for bar in chart["bars"]
    )
    label_y = chart["label_y"]
    ticks = "".join(
        f'<text class="tick" x="{tick["x"]}" y="{label_y}" text-anchor="middle">{escape(tick["label"])}</text>'
        for tick in chart["ticks"]
    )
    return mark_safe(f"{bars}\n    {ticks}")


@register.simple_tag
def dashboard_unit_links(rows: list[dict]) -> SafeString:
    """The `<li>` of each unit named with a link to its dashboard (the grassroots units unvisited)."""
    return mark_safe(
        "".join(f'<li><a href="{escape(item["url"])}">{escape(item["unit"].name)}</a></li>' for item in rows)
    )


@register.simple_tag(takes_context=True)
def dashboard_figure(
    context,
    *,
    key: str,
    title: str,
    url: str,
    value: object,
    definition: str,
    line: object = "",
    line_url: str = "",
    line_alert: object = False,
    column: str = "",
    headline: bool = False,
    policy_url: str = "",
    policy_line: str = "",
    policy_percent: str = "",
) -> SafeString:
    """One figure's card: its value linking to the list behind it, a line with its numbers (linked
    when `line_url` is given), the policy-limited line of the resolution rate, and `definition`: what
    it counts in plain words (dashboard.COUNTS; the exact definitions are in the page's foot).
    Values are written as `{{ value }}` writes them (escaped, localised)."""

    def text(value: object) -> str:
        return render_value_in_context(value, context)

    size = "" if headline else " dash-value-sm"
    parts = [
        f'<div class="{text(column or "col-6 col-md-4 col-lg-2")}">\n'
        f'  <section class="card h-100 dash-card" aria-labelledby="fig-{text(key)}"><div class="card-body">\n'
        f'    <h3 class="h6 card-title" id="fig-{text(key)}">{text(title)}</h3>\n'
        f'    <p class="dash-value{size} mb-1"><a href="{text(url)}">{text(value)}</a></p>\n'
    ]
    if line:
        if line_url:
            alert = ' class="overdue"' if line_alert else ""
            parts.append(f'    <p class="small mb-1"><a href="{text(line_url)}"{alert}>{text(line)}</a></p>\n')
        else:
            parts.append(f'    <p class="small mb-1">{text(line)}</p>\n')
    if policy_url:
        # one sentence in the reader's language (no half-width colon inside Chinese): the count linked
        link = f'<a href="{text(policy_url)}">{text(policy_line)}</a>'
        sentence = escape(gettext("%(limited)s, of which resolved: %(percent)s")) % {
            "limited": link,
            "percent": text(policy_percent),
        }
        parts.append(f'    <p class="small mb-1">{sentence}</p>\n')
    parts.append(
        f'    <p class="small text-body-secondary mb-0 dash-counts">{text(definition)}</p>\n  </div></section>\n</div>'
    )
    return mark_safe("".join(parts))
