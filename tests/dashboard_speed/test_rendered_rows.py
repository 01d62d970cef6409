"""The dashboard's long tables written by template tags (fieldwork.templatetags.dashboard) read as the
template loops they replaced: the same elements, attributes, text and escaping."""

import datetime
from urllib.parse import urlencode

from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse

from fieldwork.dashboard import ChildRow, Rate, UnitLine
from fieldwork.templatetags.dashboard import dashboard_bars, dashboard_child_rows, dashboard_unit_links
from fieldwork.views.dashboards import NOT_WITHDRAWN, Links, _bar_chart, _child_rows

# The loops of templates/fieldwork/dashboards/ as they were before the tags.
CHILD_LOOP = (
    "{% for item in child_rows %}<tr>"
    '<th scope="row"><a href="{{ item.dashboard_url }}">{{ item.row.unit.name }}</a></th>'
    # coverage: "visited/all" alone when too few to compare a rate (issue 20 item 4)
    '<td class="text-end">{% if item.row.coverage.value is None %}<a href="{{ item.visits_url }}">'
    "{{ item.row.coverage.numerator }}/{{ item.row.coverage.denominator }}</a>{% else %}"
    '<a href="{{ item.visits_url }}">{{ item.row.coverage.percent }}</a> '
    '<span class="small text-body-secondary">'
    "({{ item.row.coverage.numerator }}/{{ item.row.coverage.denominator }})</span>{% endif %}</td>"
    '<td class="text-end"><a href="{{ item.raised_url }}">{{ item.row.response.percent }}</a></td>'
    '<td class="text-end"><a href="{{ item.raised_url }}">{{ item.row.resolution.percent }}</a></td>'
    '<td class="text-end"><a href="{{ item.callbacks_url }}">{{ item.row.satisfaction.percent }}</a></td>'
    '<td class="text-end"><a href="{{ item.open_url }}">{{ item.row.open }}</a></td>'
    '<td class="text-end"><a href="{{ item.overdue_url }}" class="{% if item.row.overdue %}overdue{% endif %}">'
    "{{ item.row.overdue }}</a></td>"
    '<td class="text-end"><a href="{{ item.supervised_url }}">{{ item.row.supervised_now }}</a></td>'
    '<td class="text-end"><a href="{{ item.extended_url }}">{{ item.row.extensions_granted }}</a></td>'
    "</tr>{% endfor %}"
)
BARS_LOOP = (
    '{% for bar in chart.bars %}<rect class="bar-{{ bar.series }}" x="{{ bar.x }}" y="{{ bar.y }}" '
    'width="{{ bar.width }}" height="{{ bar.height }}"><title>{{ bar.title }}</title></rect>{% endfor %}'
    '{% for tick in chart.ticks %}<text class="tick" x="{{ tick.x }}" y="{{ chart.label_y }}" '
    'text-anchor="middle">{{ tick.label }}</text>{% endfor %}'
)
UNIT_LOOP = '{% for item in unvisited_rows %}<li><a href="{{ item.url }}">{{ item.unit.name }}</a></li>{% endfor %}'

FIRST, LAST = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)


def _as_loop(source: str, **context) -> object:
    return parse_html(Template(source).render(Context(context)))


def _children() -> list[ChildRow]:
    return [
        ChildRow(UnitLine(7, 'Team <A> & "B"', "/1/7/"), Rate(9, 10), Rate(3, 4), Rate(0, 12), Rate(1, 2), 5, 2, 1, 0),
        ChildRow(UnitLine(12, "巡线班", "/1/12/"), Rate(0, 0), Rate(1, 1), Rate(10, 10), Rate(7, 9), 0, 0, 0, 3),
    ]


def test_child_rows_read_as_the_template_loop_with_escaped_names_and_too_few(settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "MIN_CASES": 3}
    rows = _child_rows(_children(), Links(1, FIRST, LAST), "period=2026Q3")
    written = parse_html(dashboard_child_rows(rows))
    assert written == _as_loop(CHILD_LOOP, child_rows=rows)
    html = str(dashboard_child_rows(rows))
    assert "Team &lt;A&gt; &amp; &quot;B&quot;" in html
    assert 'href="/units/7/dashboard/?period=2026Q3"' in html
    assert 'class="overdue">2</a>' in html and 'class="">0</a>' in html
    assert ">90%</a> " in html and "(9/10)" in html  # a rate when there are enough units
    assert ">0/0</a></td>" in html  # too few: units visited of all, not "too few to compare"


def test_child_links_are_the_urlencoded_query_of_each_unit():
    links = Links(1, FIRST, LAST)
    rows = _child_rows(_children(), links, "period=2026Q3")
    dates = [("raised_from", "2026-07-01"), ("raised_to", "2026-09-30")]
    statuses = [("status", status) for status in NOT_WITHDRAWN]
    for row, unit_id in zip(rows, (7, 12), strict=True):
        assert (
            row["raised_url"]
            == f"{reverse('fieldwork:concern-list')}?{urlencode([('unit', unit_id), *statuses, *dates])}"
        )
        assert row["visits_url"] == (
            f"{reverse('fieldwork:visit-list')}?"
            + urlencode([("unit", unit_id), ("date_from", "2026-07-01"), ("date_to", "2026-09-30")])
        )
        assert row["overdue_url"] == f"/overdue/?unit={unit_id}"
        assert row["callbacks_url"].endswith(f"?unit={unit_id}&callback_from=2026-07-01&callback_to=2026-09-30")
    # The links of the unit itself and of a month share the encoded queries and stay their own.
    assert links.raised(category=3).endswith("&category=3")
    assert links.month(datetime.date(2026, 8, 1)).visits() == (
        f"{reverse('fieldwork:visit-list')}?unit=1&date_from=2026-08-01&date_to=2026-08-31"
    )


def test_bars_and_ticks_read_as_the_template_loops():
    chart = _bar_chart([("raised <dark>", [3, 0, 12]), ("resolved", [1, 5, 0])], ["06", "07", "08"])
    assert parse_html(dashboard_bars(chart)) == _as_loop(BARS_LOOP, chart=chart)
    assert "raised &lt;dark&gt;: 12" in str(dashboard_bars(chart))


def test_unvisited_units_read_as_the_template_loop():
    rows = [{"unit": UnitLine(4, "Sub <A>", "/1/4/"), "url": "/units/4/dashboard/?from=2026-07-01&to=2026-09-30"}]
    assert parse_html(dashboard_unit_links(rows)) == _as_loop(UNIT_LOOP, unvisited_rows=rows)
    assert "&amp;to=" in str(dashboard_unit_links(rows))
