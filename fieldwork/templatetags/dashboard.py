"""The dashboard's long tables written in one pass: `{% load dashboard %}`, then
`{% dashboard_child_rows child_rows %}`.

The child table of the root has a row per unit below it, nine linked figures each: through the
template language every value is a variable lookup, an escape and a localisation, which was most of
the page's Python. The markup is the template's own (tests/dashboard_speed pin it); the values are
plain digits as `{{ value }}` writes them (no digit grouping) and every text and address is escaped.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _cell(url: str, text: object, extra: str = "") -> str:
    return f'<td class="text-end"><a href="{escape(url)}"{extra}>{escape(text)}</a></td>'


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
            f'<td class="text-end"><a href="{escape(item["visits_url"])}">{escape(coverage.percent)}</a> '
            f'<span class="small text-body-secondary">({coverage.numerator:d}/{coverage.denominator:d})</span></td>'
            f'<td class="text-end"><a href="{raised}">{escape(row.response.percent)}</a></td>'
            f'<td class="text-end"><a href="{raised}">{escape(row.resolution.percent)}</a></td>'
            + _cell(item["callbacks_url"], row.satisfaction.percent)
            + f'<td class="text-end"><a href="{escape(item["open_url"])}">{row.open:d}</a></td>'
            f'<td class="text-end"><a href="{escape(item["overdue_url"])}" class="{overdue_class}">{row.overdue:d}</a></td>'
            f'<td class="text-end"><a href="{escape(item["supervised_url"])}">{row.supervised_now:d}</a></td>'
            f'<td class="text-end"><a href="{escape(item["extended_url"])}">{row.extensions_granted:d}</a></td>'
            "</tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped or an int
