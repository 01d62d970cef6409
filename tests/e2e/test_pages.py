"""Every main page on a phone and on a desktop, with the data of a unit at work: each page loads, passes
the basic accessibility checks, does not scroll sideways, logs no console error or CSP violation, and
leaves a screenshot
(`phone-<page>.png`, `desktop-<page>.png`; the best of them are in docs/screenshots/)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork import rollups
from fieldwork.models import Concern, Feedback, FollowUpAction, Membership, Unit, Visit
from fieldwork.services import actions as action_services
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import public as public_services
from fieldwork.services import visits as visit_services
from tests.e2e.conftest import DESKTOP, PHONE, accessibility_problems, shot, sign_in
from tests.factories import MembershipFactory, UnitFactory, UserFactory, category, principle

pytestmark = pytest.mark.django_db(transaction=True)


def _concern(title, code, priority=Concern.Priority.NORMAL, name="", anonymous=False, principles=()):
    return concern_services.ConcernInput(
        title=title,
        category=category(code),
        priority=priority,
        raised_by_name=name,
        anonymous=anonymous,
        principles=[principle(p) for p in principles],
    )


@pytest.fixture
def unit_at_work(team_a, sub_a, team_b, branch, cadre_a, cadre_b_other_team, leader_branch):
    """Visits in every unit of the branch this quarter, and concerns in every state: new, in progress
    with actions, reopened by a dissatisfied callback, closed, withdrawn, overdue and supervised, and
    one raised on the public channel, resolved and waiting for the person's own callback."""
    today = timezone.localdate()
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)

    def day(ago: int) -> datetime.date:
        return max(today - datetime.timedelta(days=ago), quarter_start)

    def visit(by, unit, ago, form, location, people, summary, principles, concerns=()):
        return visit_services.visit_record(
            by=by,
            unit=unit,
            date=day(ago),
            form=form,
            location=location,
            people_reached=people,
            summary=summary,
            principles=[principle(p) for p in principles],
            concerns=list(concerns),
            confirmation_note="Back-dated on purpose: the test's story",
        )

    talk = visit(
        cadre_a,
        team_a,
        1,
        Visit.Form.HEART_TO_HEART,
        "变电站值班室",
        6,
        "夜班职工反映食堂和劳保用品的问题，大家希望夜里能吃上热饭。",
        ["pragmatism", "positioning"],
        [
            _concern("夜班食堂没有热饭", "daily_hardship", Concern.Priority.URGENT, name="刘师傅"),
            _concern("劳保鞋一个月就磨破", "working_conditions", anonymous=True, principles=["pragmatism"]),
        ],
    )
    symposium = visit(
        cadre_a,
        sub_a,
        9,
        Visit.Form.SYMPOSIUM,
        "110kV 东城变电站会议室",
        14,
        "座谈新设备投运后的培训和倒班安排。",
        ["learning", "keeping_pace"],
        [
            _concern("新开关柜操作培训不够", "skills_training", principles=["learning"]),
            _concern("更衣室冬季没有暖气", "working_conditions", name="赵班长"),
        ],
    )
    survey = visit(
        cadre_b_other_team,
        team_b,
        20,
        Visit.Form.ON_SITE_SURVEY,
        "线路巡视现场",
        4,
        "巡线工反映车辆老旧，雨天出行不安全。",
        ["pragmatism"],
        [_concern("巡线车辆老旧，雨天不安全", "safety", Concern.Priority.URGENT)],
    )
    visit(
        cadre_b_other_team,
        team_b,
        35,
        Visit.Form.RECEPTION_DAY,
        "班组活动室",
        9,
        "接待日：薪酬和休假问题。",
        ["integrity"],
    )
    visit(cadre_a, team_a, 50, Visit.Form.HOME_VISIT, "职工宿舍", 2, "走访困难职工家庭。", ["positioning"])

    canteen, boots = talk.concerns.order_by("pk")
    training, heating = symposium.concerns.order_by("pk")
    (vehicles,) = survey.concerns.all()

    def fresh(concern):
        concern.refresh_from_db()
        return concern

    # In progress, with a follow-up action.
    concern_services.concern_start(concern=boots, by=cadre_a, version=boots.version)
    action_services.action_add(
        concern=fresh(boots), by=cadre_a, description="向物资部门申请更耐磨的劳保鞋", owner=cadre_a, due_date=day(-5)
    )
    # Resolved, then reopened by the person's dissatisfaction: the richest timeline.
    concern_services.concern_start(concern=heating, by=cadre_a, version=heating.version)
    action_services.action_add(
        concern=fresh(heating), by=cadre_a, description="请维修班检查暖气管路", owner=cadre_a, due_date=today
    )
    action = heating.actions.get()
    action_services.action_complete(action=action, by=cadre_a, outcome="管路已疏通")
    concern_services.concern_resolve(
        concern=fresh(heating), by=cadre_a, version=heating.version, resolution="暖气管路已疏通。"
    )
    callback_services.feedback_record(
        concern=fresh(heating),
        by=leader_branch,
        version=heating.version,
        satisfaction=Feedback.Satisfaction.DISSATISFIED,
        channel=Feedback.Channel.PHONE,
        comment="水温还是不够，晚上仍然很冷。",
    )
    # Closed on a satisfied callback.
    concern_services.concern_start(concern=vehicles, by=cadre_b_other_team, version=vehicles.version)
    concern_services.concern_resolve(
        concern=fresh(vehicles), by=cadre_b_other_team, version=vehicles.version, resolution="已调配一辆新巡线车。"
    )
    callback_services.feedback_record(
        concern=fresh(vehicles),
        by=leader_branch,
        version=vehicles.version,
        satisfaction=Feedback.Satisfaction.SATISFIED,
        channel=Feedback.Channel.IN_PERSON,
        comment="新车很好。",
    )
    # Withdrawn: raised twice.
    twice = concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=_concern("食堂没有热饭（重复）", "daily_hardship")
    )
    concern_services.concern_withdraw(
        concern=twice, by=leader_branch, version=twice.version, reason="与 夜班食堂没有热饭 重复"
    )
    # Overdue and supervised by the unit's leaders, with an overdue action.
    concern_services.concern_start(concern=training, by=cadre_a, version=training.version)
    action_services.action_add(
        concern=fresh(training), by=cadre_a, description="联系厂家安排现场培训", owner=cadre_a, due_date=today
    )
    Concern.objects.filter(pk=training.pk).update(
        due_date=today - datetime.timedelta(days=12), supervised_at=timezone.now() - datetime.timedelta(days=2)
    )
    FollowUpAction.objects.filter(concern=training).update(due_date=today - datetime.timedelta(days=6))
    # Urgent and still not taken up: overdue too, as is the action on the work boots.
    Concern.objects.filter(pk=canteen.pk).update(due_date=today - datetime.timedelta(days=3))
    FollowUpAction.objects.filter(concern=boots).update(due_date=today - datetime.timedelta(days=1))
    # Raised on the public channel, resolved, waiting for the person's own callback.
    public, code = public_services.public_concern_raise(
        unit=team_a, category=category("working_conditions"), description="开关室照明灯一直闪，晚上巡视看不清。"
    )
    concern_services.concern_reassign(concern=public, by=leader_branch, version=public.version, owner=cadre_a)
    concern_services.concern_start(concern=fresh(public), by=cadre_a, version=public.version)
    concern_services.concern_resolve(
        concern=fresh(public), by=cadre_a, version=public.version, resolution="已更换灯管。"
    )
    # The branch's stations: each visited once this quarter but one, each with a concern closed on the
    # person's satisfaction, so that the dashboard's rates rest on enough cases to be shown.
    station_cadre = UserFactory(username="cadre_stations", first_name="强", last_name="张")
    MembershipFactory(user=station_cadre, unit=branch, role=Membership.Role.CADRE)
    for index, (name, issue) in enumerate(
        [
            ("东城变电站", "主控室空调噪音大"),
            ("西山变电站", "值班宿舍漏雨"),
            ("输电线路班", "高温天巡线缺少防暑用品"),
            ("配电运维班", "夜间抢修照明不足"),
        ]
    ):
        kind = Unit.Kind.SUBSTATION if name.endswith("变电站") else Unit.Kind.TEAM
        station = UnitFactory(name=name, code=f"station-{index}", kind=kind, parent=branch)
        visited = visit(
            station_cadre,
            station,
            3 + 7 * index,
            Visit.Form.STAYING_AT_POINT if index % 2 else Visit.Form.HOME_VISIT,
            name,
            5 + index,
            "蹲点了解一线职工的工作和生活。",
            ["positioning", "pragmatism"],
            [_concern(issue, "working_conditions")],
        )
        concern = visited.concerns.get()
        concern_services.concern_start(concern=concern, by=station_cadre, version=concern.version)
        concern_services.concern_resolve(
            concern=fresh(concern), by=station_cadre, version=concern.version, resolution="已处理。"
        )
        callback_services.feedback_record(
            concern=fresh(concern),
            by=leader_branch,
            version=concern.version,
            satisfaction=Feedback.Satisfaction.BASICALLY if index == 3 else Feedback.Satisfaction.SATISFIED,
            channel=Feedback.Channel.PHONE,
        )
    UnitFactory(name="南关供电所", code="station-unvisited", kind=Unit.Kind.STATION, parent=branch)
    rollups.rebuild()  # after the updates past the services
    return {"visit": talk, "concern": heating, "code": code, "quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}"}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_each_main_page(page, live_server, size, unit_at_work, team_a, branch, console_errors):
    device = "phone" if size == PHONE else "desktop"
    page.set_viewport_size(size)
    problems: dict[str, list[str]] = {}

    def check(name: str, path: str | None = None) -> None:
        errors_before = len(console_errors)
        if path is not None:
            response = page.goto(live_server.url + path)
            assert response.ok, f"{name}: {response.status}"
        expect(page.locator("h1").first).to_be_visible()
        # At the end of the page, a sticky bar is drawn where it stays; no field keeps the focus ring.
        page.evaluate(
            "() => { document.activeElement.blur();"
            ' window.scrollTo({top: document.body.scrollHeight, behavior: "instant"}); }'
        )
        shot(page, f"{device}-{name}")
        found = accessibility_problems(page) + console_errors[errors_before:]
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        sideways = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if sideways > 0:
            found.append(f"the page scrolls sideways by {sideways} px")
        if found:
            problems[name] = found

    sign_in(page, live_server, "cadre_a")
    check("my-work")
    page.goto(f"{live_server.url}/visits/new/")
    page.get_by_label("People reached").fill("8")
    page.get_by_label("Symposium").check()
    page.get_by_label("Location").fill("东城变电站主控室")
    page.get_by_label("What was heard").fill("运行值班员反映主控室空调噪音大，夜里休息不好。")
    page.get_by_role("button", name="Add a concern").click()
    page.locator("#id_concerns-0-title").fill("主控室空调噪音大")
    page.locator("#id_concerns-0-category").select_option(label="Working conditions")
    check("visit-entry")
    check("visit-list", "/visits/")
    check("visit-detail", f"/visits/{unit_at_work['visit'].pk}/")
    check("concern-list", "/concerns/")
    check("concern-detail", f"/concerns/{unit_at_work['concern'].pk}/")
    check("overdue", "/overdue/")

    page.context.clear_cookies()
    sign_in(page, live_server, "leader_branch")
    check("supervised", "/concerns/supervised/")
    check("unit-list", "/units/")
    check("dashboard", f"/units/{branch.pk}/dashboard/")
    check("ledger", f"/reports/ledger/?unit={branch.pk}&period={unit_at_work['quarter']}")

    page.context.clear_cookies()
    check("public-raise", f"/s/{team_a.code}/")
    page.goto(f"{live_server.url}/s/track/")
    page.get_by_label("Your receipt code").fill(unit_at_work["code"])
    page.get_by_role("button", name="Look it up").click()
    expect(page.get_by_role("heading", name="Are you satisfied with what was done?")).to_be_visible()
    check("public-track")

    assert problems == {}
