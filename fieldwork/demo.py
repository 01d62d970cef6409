"""Demo data for `manage.py seed_demo`: the essay's kind of organisation, its people, and a year of work.

Rows are generated as plain tuples, never model instances, so that a million visits with their
concerns, actions, callbacks and events load in minutes: COPY on PostgreSQL, executemany elsewhere.
Everything is drawn from one `random.Random(seed)` against a fixed "today", so the same seed and
sizes give the same rows. Names of places and people are invented.
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import datetime as dt
import hashlib
import os
import pickle
import random
import signal
import struct
import time
import traceback
import unicodedata
import warnings
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models

from . import ladder, rollups, workdays
from .models import (
    Category,
    Concern,
    ConcernEvent,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    Membership,
    Principle,
    ReferenceCounter,
    Unit,
    Visit,
)

PASSWORD = "demo-pass-2026"
DEFAULT_SEED = 2026
DEFAULT_VISITS = 600
DEFAULT_MONTHS = 12
CHUNK_VISITS = 20_000

# ---------------------------------------------------------------------------------------------------
# Data tables. Plain text only: no tab, newline or backslash (rows go to COPY unescaped; a test checks).

COMPANY = ("汾岭煤电集团", "jt")
BRANCH = ("汾岭煤电集团供电分公司", "gd")
OFFICES = [("党群工作部", "gd-dq"), ("工会", "gd-gh"), ("安全监察部", "gd-aq")]
OFFICE_NAMES = [name for name, _code in OFFICES]
# name, code, kind, children (name, kind); children get the codes <code>-1, <code>-2, ...
DEMO_GROUPS = [
    (
        "变电运行工区",
        "bdyx",
        Unit.Kind.WORKSHOP,
        [("110kV东山变电站", "substation"), ("110kV西营变电站", "substation"), ("35kV南关变电站", "substation")],
    ),
    (
        "输电线路工区",
        "sdxl",
        Unit.Kind.WORKSHOP,
        [("线路运维一班", "team"), ("线路运维二班", "team"), ("带电作业班", "team")],
    ),
    ("配电工区", "pd", Unit.Kind.WORKSHOP, [("配电运维班", "team"), ("电缆运检班", "team")]),
    (
        "检修试验工区",
        "jxsy",
        Unit.Kind.WORKSHOP,
        [("变电检修班", "team"), ("高压试验班", "team"), ("继电保护班", "team")],
    ),
    ("调度控制中心", "ddkz", Unit.Kind.DEPARTMENT, [("调控运行班", "team"), ("自动化运维班", "team")]),
    ("河东供电所", "hd", Unit.Kind.STATION, [("营业班", "team"), ("台区运维班", "team")]),
    ("青石供电所", "qs", Unit.Kind.STATION, [("营业班", "team"), ("台区运维班", "team")]),
    ("槐岭供电所", "hl", Unit.Kind.STATION, [("营业班", "team"), ("台区运维班", "team")]),
]
PLACE_A = "东西南北新青白金石松柳桃杏槐枣泉云龙凤安"
PLACE_B = "河岭山峪沟川坪庄湾塬堡店口营寨坡梁峰台源"
BRANCH_PLACES = ["东川", "西岭", "南塬", "北峪", "青龙", "白杨", "金沟", "石门", "松岗", "云台", "凤鸣", "安泉"]
STATION_TEAMS = ["营业班", "台区运维一班", "台区运维二班", "抢修班", "综合班"]
WORKSHOP_KINDS = [
    ("变电运行工区", "substation", ["变电站"]),
    ("输电线路工区", "team", ["线路运维一班", "线路运维二班", "线路运维三班", "带电作业班", "通道管理班"]),
    ("配电工区", "team", ["配电运维班", "电缆运检班", "配网抢修班", "计量班", "低压班"]),
    ("检修试验工区", "team", ["变电检修班", "高压试验班", "继电保护班", "油化试验班", "二次检修班"]),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN_NAMES = [
    "建国",
    "志强",
    "海燕",
    "丽娟",
    "晓东",
    "文博",
    "俊杰",
    "秀英",
    "红梅",
    "永刚",
    "立新",
    "卫东",
    "春生",
    "国庆",
    "慧敏",
    "雪梅",
    "浩然",
    "宇航",
    "子涵",
    "思远",
    "晓峰",
    "玉兰",
    "桂芳",
    "明亮",
    "振华",
    "鹏飞",
    "静怡",
    "雅琴",
    "德胜",
    "学军",
    "建华",
    "亚楠",
    "少伟",
    "宏伟",
    "志勇",
    "晓明",
    "丽华",
    "军",
    "伟",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "凯",
    "华",
    "辉",
    "鑫",
    "波",
    "斌",
    "宁",
    "亮",
    "峰",
    "晨",
    "欣",
    "颖",
    "佳",
    "帆",
    "琳",
    "瑞",
    "婷",
    "龙",
    "飞",
    "成",
    "博",
    "文华",
    "建军",
    "卫国",
    "红霞",
    "新民",
    "金凤",
    "宝山",
    "玉珍",
    "福生",
    "保平",
]

VISIT_FORMS = [
    # form, weight, people reached (min, max), locations, openers
    (
        Visit.Form.HOME_VISIT,
        15,
        (1, 4),
        ["职工家中", "职工家属院", "退休职工家中"],
        ["走访职工家庭，了解家中生活情况。", "到职工家中看望，拉家常、听心声。"],
    ),
    (
        Visit.Form.SYMPOSIUM,
        20,
        (8, 30),
        ["班组活动室", "工区会议室", "职工之家"],
        ["召开班组职工座谈会，逐一听取意见。", "组织一线职工座谈，围绕生产生活畅所欲言。"],
    ),
    (
        Visit.Form.HEART_TO_HEART,
        25,
        (1, 2),
        ["班组休息室", "值班室", "工区办公室"],
        ["与职工一对一谈心谈话，了解思想动态。", "利用班前会间隙开展谈心谈话。"],
    ),
    (
        Visit.Form.ON_SITE_SURVEY,
        20,
        (3, 15),
        ["变电站主控室", "线路巡视现场", "配电台区现场", "检修作业现场"],
        ["深入现场调研设备运行和作业环境。", "跟班巡视，现场查看作业条件。"],
    ),
    (
        Visit.Form.STAYING_AT_POINT,
        8,
        (4, 20),
        ["变电站", "供电所", "班组驻地"],
        ["在班组蹲点，与职工同吃同住同劳动。", "蹲点期间参加夜班值守，体验一线工作。"],
    ),
    (
        Visit.Form.RECEPTION_DAY,
        12,
        (5, 40),
        ["职工之家接待室", "分公司接待室", "工区接待点"],
        ["开展领导干部接待日，现场受理职工诉求。", "在职工之家设接待点，面对面听取意见。"],
    ),
]
VISIT_TOPICS = [
    "职工普遍关心夜班就餐问题",
    "大家对高温补贴发放时间有意见",
    "青年职工希望多一些技能培训机会",
    "老职工反映宿舍设施陈旧",
    "班组长提出巡视任务偏重",
    "职工对安全工器具配置提出建议",
    "有职工反映家庭困难",
    "大家对工区文化活动评价较好",
    "职工希望改进倒班通勤安排",
    "部分职工对考核办法不太理解，已当场解释",
    "职工对新投运设备的操作还不熟练",
    "大家希望改善班组学习条件",
]
VISIT_CLOSINGS = [
    "能当场答复的已当场答复，其余问题登记跟踪办理。",
    "对职工提出的问题逐条记录，明确责任人和时限。",
    "整体思想稳定，工作积极性较高。",
    "下一步将定期回访，确保件件有着落。",
    "",
]

CATEGORY_TEXTS = {
    # code: (weight, titles, descriptions, resolutions)
    "working_conditions": (
        20,
        [
            "变电站夜班食堂只供应方便面",
            "工作服不合身，冬季工装不保暖",
            "班组宿舍漏水",
            "值班室空调损坏",
            "巡线车辆老旧经常抛锚",
            "主控室照明不足",
            "更衣室太小，夏天闷热",
        ],
        [
            "夜班人员反映晚上十点以后没有热饭，只能吃方便面，希望食堂延长供餐时间。",
            "去年发的工装尺码不全，很多人穿着不合身，冬天巡视时不保暖。",
            "下雨时宿舍屋顶渗水，被褥受潮，已经反映过一次但没有修。",
            "值班室空调坏了半个多月，夏天值夜班很难熬。",
        ],
        [
            "已协调后勤中心为夜班人员提供热餐，晚十点至次日两点有专人送餐。",
            "已按实际尺码重新登记并补发工装，冬装加发棉马甲。",
            "已安排维修队对屋面做防水处理，受潮被褥统一更换。",
            "已更换空调压缩机，并列入每年入夏前检查清单。",
        ],
    ),
    "pay_benefits": (
        15,
        [
            "高温补贴发放不及时",
            "夜班津贴标准多年未调整",
            "异地交流人员住房补贴未落实",
            "加班调休难以兑现",
            "取暖费报销流程繁琐",
        ],
        [
            "七月份的高温补贴到九月还没有发，大家有意见。",
            "夜班津贴还是多年前的标准，和现在的工作强度不相符。",
            "从外地交流过来的同志，住房补贴一直没有落实到位。",
            "抢修加班多，调休总是排不上，希望有个说法。",
        ],
        [
            "已与人力资源部核实，高温补贴随当月工资补发，今后按月发放。",
            "已将夜班津贴调整建议提交职代会审议，并向职工说明进度。",
            "住房补贴已补发到位，并明确了今后的发放时间。",
            "已制定调休台账，每季度由班组长安排落实。",
        ],
    ),
    "safety": (
        15,
        [
            "带电作业绝缘工具老化",
            "线路通道树障清理不及时",
            "配电室防小动物措施不到位",
            "安全帽数量不足",
            "登杆作业脚扣磨损严重",
            "雨季电缆沟积水",
        ],
        [
            "部分绝缘手套和绝缘杆使用年限已到，担心作业安全。",
            "通道内树木离导线很近，大风天容易放电，清理申请一直没批。",
            "配电室门下缝隙大，挡鼠板缺失，有小动物进入的痕迹。",
            "新入职人员较多，安全帽不够用，只能轮流戴。",
        ],
        [
            "已更换到期绝缘工器具并送检，建立工器具到期提醒台账。",
            "已联系林业部门完成通道树障清理，纳入月度巡视重点。",
            "已补装挡鼠板并封堵孔洞，每月检查一次。",
            "已补充配发安全帽，按人头建立领用登记。",
        ],
    ),
    "daily_hardship": (
        12,
        [
            "家属重病医疗费用负担重",
            "子女入学距离远，接送困难",
            "单身职工周末就餐不便",
            "倒班职工通勤班车时间不合适",
            "老旧宿舍楼冬季暖气不热",
        ],
        [
            "家中老人住院，医疗费用花了不少，家里经济很紧张。",
            "孩子上学离单位远，倒班时没人接送。",
            "周末食堂不开，单身职工只能在外面凑合。",
            "班车发车时间和交接班时间对不上，每天要多等一个小时。",
        ],
        [
            "工会已按困难职工帮扶办法发放慰问金，并协助办理医疗救助。",
            "已与排班负责人协商，优先照顾其接送时段的班次。",
            "周末食堂开放一个窗口，满足单身职工就餐。",
            "已调整班车发车时间，与交接班时间衔接。",
        ],
    ),
    "skills_training": (
        12,
        [
            "培训名额分配不透明",
            "青年职工希望参加继电保护专项培训",
            "技能鉴定前缺少实操练习机会",
            "新设备投运前未组织培训",
            "希望开办智能电网知识讲座",
        ],
        [
            "外出培训名额怎么分的大家不清楚，希望公开。",
            "青年职工对继电保护很感兴趣，希望有专项培训机会。",
            "技能鉴定在即，但实训室平时不开放，没地方练。",
            "新设备下月投运，班组还没人系统学过操作。",
        ],
        [
            "培训名额分配办法已在工区公示，按轮训计划安排。",
            "已将青年职工列入下半年继电保护专项培训班。",
            "实训室每周二、四晚开放，安排师傅现场指导。",
            "厂家技术人员已到站完成操作培训并留有操作手册。",
        ],
    ),
    "suggestion": (
        12,
        [
            "建议在班组设立职工书屋",
            "建议优化倒闸操作票审批流程",
            "建议增设工区职工健身器材",
            "建议巡线任务合理分片",
            "建议推广移动巡检终端",
        ],
        [
            "班组业余时间多，建议设个小书屋，放些业务书和杂志。",
            "操作票审批环节多，有时影响操作时间，建议简化。",
            "工区没有健身场地，建议添置一些健身器材。",
            "巡线任务分配不均，建议按线路长度合理分片。",
        ],
        [
            "职工书屋已建成，首批配置业务书籍和报刊二百余册。",
            "已优化审批流程，常规操作票由工区一级审批。",
            "已在工区空地安装健身器材，并安排专人维护。",
            "已重新划分巡线责任区段，按月轮换。",
        ],
    ),
    "cadre_conduct": (
        6,
        [
            "个别管理人员下基层走过场",
            "工区会议多、文件多，基层负担重",
            "反映问题后长期没有答复",
            "考核打分不公开",
            "领导值班期间联系不上",
        ],
        [
            "有的管理人员到班组转一圈就走，问题没人真正过问。",
            "一周开好几个会，材料报了又报，挤占了干活的时间。",
            "上次反映的问题过去两个月了，没有任何答复。",
            "月度考核怎么打的分，职工看不到依据。",
        ],
        [
            "已约谈相关人员，下基层须记录走访情况并跟踪办理。",
            "已精简会议和报表，班组报表减少三成。",
            "已查明原因并向职工当面致歉，问题已办结。",
            "考核细则和月度得分已在班组公示栏公开。",
        ],
    ),
    "other": (
        8,
        [
            "班组活动经费使用不清楚",
            "职工之家报刊订阅不全",
            "离退休职工慰问名单有遗漏",
            "工区停车位紧张",
        ],
        [
            "班组活动经费花在哪里了，大家不太清楚。",
            "职工之家报刊种类少，很多想看的没有订。",
            "今年慰问离退休职工时漏了几位老同志。",
            "工区停车位少，早上来晚了就没地方停车。",
        ],
        [
            "班组活动经费使用情况已按季度公开。",
            "已根据职工意见增订报刊十余种。",
            "已补充慰问遗漏的老同志，并核对完善名单。",
            "已协调增划停车位并实行错时停车。",
        ],
    ),
}
POLICY_RESOLUTION = "经核实，该诉求受现行政策限制暂不能解决，已当面向职工解释政策依据并做好记录，政策调整后优先办理。"
REOPEN_RESOLUTION_PREFIX = "根据回访意见再次整改："
ACTION_TEXTS = [
    "与反映人当面沟通，核实具体情况",
    "协调后勤中心拿出解决方案",
    "提交分管领导研究",
    "联系相关部门现场查看",
    "制定整改计划并明确时限",
    "组织班组长召开专题会",
    "向人力资源部提交书面报告",
    "落实整改所需物资和经费",
    "整改完成后组织验收",
    "针对职工回访意见再次整改",
]
ACTION_OUTCOMES = [
    "已核实情况属实",
    "方案已确定，正在落实",
    "已完成，职工认可",
    "物资已到位",
    "验收合格",
    "已书面答复反映人",
    "相关部门已承诺解决时限",
]
FEEDBACK_COMMENTS = {
    Feedback.Satisfaction.SATISFIED: ["问题解决了，很满意", "办得很快，谢谢", "说到做到，满意", ""],
    Feedback.Satisfaction.BASICALLY: ["基本解决了，还希望再跟进", "总体满意，时间长了点", ""],
    Feedback.Satisfaction.DISSATISFIED: [
        "问题没有真正解决",
        "只是口头答复，没有实际行动",
        "和反映的不是一回事",
        "解决得不彻底，还是老样子",
    ],
}
WITHDRAW_NOTES = [
    "反映人表示问题已自行解决，申请撤销",
    "经核实与已登记的诉求重复，合并办理",
    "经核实不属于本单位职责范围，已转交相关部门并告知反映人",
    "反映人撤回诉求",
]
# Event notes as the services write them (labels in Chinese, the language of the demo's users).
SOLVABILITY_LABELS = {
    Concern.Solvability.NOW: "立行立改",
    Concern.Solvability.LONG_TERM: "长期推进",
    Concern.Solvability.POLICY: "政策限制",
}
SATISFACTION_LABELS = {
    Feedback.Satisfaction.SATISFIED: "满意",
    Feedback.Satisfaction.BASICALLY: "基本满意",
    Feedback.Satisfaction.DISSATISFIED: "不满意",
}
NEW_DUE_DATE = "新的办理期限：{}"
NOBODY = "无人"
# Extension requests (延期申请): the owner's reasons, and the leader's notes on approving or refusing.
EXTENSION_REASONS = [
    "所需配件需向厂家订货，到货时间晚于原定期限",
    "涉及费用较大，需提交公司研究审批",
    "需与外单位协调施工，对方排期在下旬",
    "施工需停电配合，已纳入下月停电计划",
    "反映人提出新的要求，需重新制定方案",
    "连续雨雪天气，室外作业无法按期完成",
    "需等上级部门对政策口径的答复",
]
EXTENSION_APPROVALS = ["同意，请按新期限办结", "同意，每周报一次办理进展", "", ""]
EXTENSION_REFUSALS = [
    "时限内可以完成，请抓紧落实",
    "理由不充分，请按原期限办结",
    "属立行立改事项，不同意延期",
    "请先拿出具体整改方案再申请",
]
# The chasing ladder's notes, as ladder._ladder_note writes them in Chinese.
LADDER_NOTES = {
    "reminded": "办理期限{due}，{when}。已提醒：{names}。",
    "chased": "办理期限{due}，已超期{days}个工作日。已催办：{names}。",
    "supervised": "办理期限{due}，已超期{days}个工作日。由{unit}领导督办：{names}。",
    "notice": "办理期限{due}，已超期{days}个工作日。已通报{unit}领导：{names}。",
}
DUE_TODAY = "今天到期"
DUE_IN = "还有{days}个工作日到期"
# The public channel's receipt codes (fieldwork.public): the showcase's public concern has this one.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHOWCASE_RECEIPT = "DEMATRACKXYZ"
TEXT_TABLES: list[Sequence[str]] = [
    [COMPANY[0], BRANCH[0], *OFFICE_NAMES, PLACE_A, PLACE_B, *BRANCH_PLACES, *STATION_TEAMS],
    GIVEN_NAMES,
    VISIT_TOPICS,
    VISIT_CLOSINGS,
    ACTION_TEXTS,
    ACTION_OUTCOMES,
    WITHDRAW_NOTES,
    [POLICY_RESOLUTION, REOPEN_RESOLUTION_PREFIX, NEW_DUE_DATE, NOBODY, *SOLVABILITY_LABELS.values()],
    EXTENSION_REASONS,
    EXTENSION_APPROVALS,
    EXTENSION_REFUSALS,
    [*LADDER_NOTES.values(), DUE_TODAY, DUE_IN],
    list(SATISFACTION_LABELS.values()),
    *[f[3] + f[4] for f in VISIT_FORMS],
    *[titles + descs + res for _w, titles, descs, res in CATEGORY_TEXTS.values()],
    *FEEDBACK_COMMENTS.values(),
]

# A few concerns of `cadre` with fixed stories, so that every status, form, category, priority and
# solvability is present at any size, and the demo user's "my work" shows each case.
# days ago, form, category, priority, take-up hours (None: never), cycles (work days, callback days,
# satisfaction), withdrawn after days, solvability, a public concern raised the same day.
D, B, S = "dissatisfied", "basically", "satisfied"
SHOWCASE = [
    (12, Visit.Form.HOME_VISIT, "working_conditions", "urgent", None, [], None, "", False),
    (45, Visit.Form.SYMPOSIUM, "pay_benefits", "normal", 20, [(400, 1, S)], None, "long_term", False),
    (4, Visit.Form.HEART_TO_HEART, "skills_training", "normal", 5, [(60, 1, S)], None, "now", True),
    (9, Visit.Form.ON_SITE_SURVEY, "safety", "urgent", 2, [(3, 100, S)], None, "now", False),
    (40, Visit.Form.STAYING_AT_POINT, "daily_hardship", "normal", 6, [(10, 3, S)], None, "now", False),
    (70, Visit.Form.RECEPTION_DAY, "suggestion", "normal", 20, [(12, 4, D), (8, 3, B)], None, "now", False),
    (35, Visit.Form.SYMPOSIUM, "cadre_conduct", "normal", 4, [(6, 2, D), (90, 1, S)], None, "long_term", False),
    (20, Visit.Form.HEART_TO_HEART, "other", "long_term", None, [], 3, "", False),
    (50, Visit.Form.ON_SITE_SURVEY, "pay_benefits", "long_term", 24, [(20, 5, B)], None, "policy", False),
]


# ---------------------------------------------------------------------------------------------------
# The organisation


@dataclass(eq=False)
class DemoUnit:
    name: str
    code: str
    kind: str
    parent: DemoUnit | None
    id: int = 0
    path: str = ""
    depth: int = 0
    receiver: int | None = None
    children: list[DemoUnit] = field(default_factory=list)
    leader: int | None = None  # the user leading this unit (company, branches, workshops, stations)
    cadres: list[int] = field(default_factory=list)  # cadres of this grassroots unit
    party: list[int] = field(default_factory=list)  # a branch's political cadres
    weight: float = 0.0  # how often the unit is visited; 0: never
    authors: list[int] = field(default_factory=list)  # who visits it, repeated by how often
    leaders: list[int] = field(default_factory=list)  # leaders over it, nearest first
    recorders: list[int] = field(default_factory=list)  # who may record callbacks
    handlers: list[int] = field(default_factory=list)  # who is assigned its public concerns


@dataclass
class DemoUser:
    id: int
    username: str
    last_name: str
    first_name: str
    superuser: bool = False
    existing: bool = False


@dataclass
class Org:
    units: list[DemoUnit]
    users: list[DemoUser]
    memberships: list[tuple[int, int, str]]  # user id, unit id, role

    def unit(self, code: str) -> DemoUnit:
        return next(u for u in self.units if u.code == code)


def _leader_chain(unit: DemoUnit) -> list[tuple[DemoUnit, int]]:
    """(unit, its leader) for the unit and each unit above it that has a leader, nearest first:
    ladder.LeaderMap.levels for the demo's one leader a unit."""
    chain = []
    node: DemoUnit | None = unit
    while node is not None:
        if node.leader:
            chain.append((node, node.leader))
        node = node.parent
    return chain


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_A) + rng.choice(PLACE_B)


def build_org(
    *, rng: random.Random, target_units: int, existing_users: dict[str, int], last_user_id: int, last_unit_id: int
) -> Org:
    """The demo organisation grown to about `target_units` units, with ids, paths and people.

    The essay's branch comes first and keeps its codes and sign-ins at any size; more supply
    stations fill it up to `branch_cap` units, then more branches are opened under the company.
    """
    units: list[DemoUnit] = []

    def add(name: str, code: str, kind: str, parent: DemoUnit | None) -> DemoUnit:
        unit = DemoUnit(name, code, kind, parent)
        if parent is not None:
            parent.children.append(unit)
        units.append(unit)
        return unit

    company = add(COMPANY[0], COMPANY[1], Unit.Kind.COMPANY, None)
    branch = add(BRANCH[0], BRANCH[1], Unit.Kind.BRANCH, company)
    for name, code in OFFICES:
        add(name, code, Unit.Kind.DEPARTMENT, branch)
    for name, code, kind, children in DEMO_GROUPS:
        group = add(name, code, kind, branch)
        for i, (child_name, child_kind) in enumerate(children, start=1):
            add(child_name, f"{code}-{i}", child_kind, group)

    branch_cap = 160
    current, size, group_no = branch, len(units) - 1, 0
    while len(units) < target_units:
        if size >= branch_cap:
            n = sum(1 for u in units if u.kind == Unit.Kind.BRANCH) + 1
            place = BRANCH_PLACES[(n - 2) % len(BRANCH_PLACES)]
            again = (n - 2) // len(BRANCH_PLACES)
            current = add(f"{place}{'' if not again else again + 1}供电分公司", f"b{n}", Unit.Kind.BRANCH, company)
            size, group_no = 1, 0
            for name, code in OFFICES:
                if len(units) < target_units:
                    add(name, f"b{n}-{code[3:]}", Unit.Kind.DEPARTMENT, current)
                    size += 1
            continue
        group_no += 1
        code = f"gd-s{group_no}" if current is branch else f"{current.code}-w{group_no}"
        k = rng.randint(2, 5)
        if current is branch or rng.random() < 0.45:
            group = add(f"{_place(rng)}供电所", code, Unit.Kind.STATION, current)
            child_names = [(name, Unit.Kind.TEAM) for name in STATION_TEAMS[:k]]
        else:
            name, child_kind, names = WORKSHOP_KINDS[rng.randrange(len(WORKSHOP_KINDS))]
            group = add(name, code, Unit.Kind.WORKSHOP, current)
            if child_kind == "substation":
                child_names = [
                    (f"{rng.choice(['35', '110', '220'])}kV{_place(rng)}变电站", Unit.Kind.SUBSTATION) for _ in range(k)
                ]
            else:
                child_names = [(names[i], Unit.Kind.TEAM) for i in range(k)]
        size += 1
        for i, (child_name, child_kind) in enumerate(child_names, start=1):
            if len(units) >= target_units:
                break
            add(child_name, f"{code}-{i}", child_kind, group)
            size += 1

    for number, unit in enumerate(units, start=last_unit_id + 1):  # parents come before children
        unit.id = number
        unit.path = (unit.parent.path if unit.parent else "/") + f"{number}/"
        unit.depth = unit.parent.depth + 1 if unit.parent else 0
    return _assign_people(rng=rng, units=units, existing=existing_users, last_id=last_user_id)


def _assign_people(*, rng: random.Random, units: list[DemoUnit], existing: dict[str, int], last_id: int) -> Org:
    users: list[DemoUser] = []
    memberships: list[tuple[int, int, str]] = []

    def user(username: str, superuser: bool = False) -> int:
        nonlocal last_id
        last, first = _person(rng)
        if username in existing:  # an account of that name is there already: give it the role
            users.append(DemoUser(existing[username], username, last, first, superuser, existing=True))
            return existing[username]
        last_id += 1
        users.append(DemoUser(last_id, username, last, first, superuser))
        return last_id

    user("admin", superuser=True)
    cadre_no = 0
    for unit in units:
        if unit.kind == Unit.Kind.BRANCH:
            demo = unit.code == BRANCH[1]
            unit.leader = user("leader" if demo else f"leader_{unit.code}")
            unit.party = [user("party"), user("party2")] if demo else [user(f"party_{unit.code}")]
        elif unit.children or unit.kind == Unit.Kind.COMPANY:
            unit.leader = user(f"leader_{unit.code}")
        elif unit.kind != Unit.Kind.DEPARTMENT:
            cadre_no += 1
            unit.cadres = [user("cadre" if cadre_no == 1 else f"cadre{cadre_no}")]
            if unit.code != "bdyx-1" and rng.random() < 0.5:
                unit.receiver = unit.cadres[0]
        if unit.leader:
            memberships.append((unit.leader, unit.id, Membership.Role.LEADER))
        memberships.extend((uid, unit.id, Membership.Role.CADRE) for uid in unit.party + unit.cadres)
        # How often it is visited: grassroots units often, a few rarely (coverage has gaps).
        if not unit.children and unit.depth >= 2:
            unit.weight = 0.04 if rng.random() < 0.08 else 0.3 + rng.random() * 1.7
        elif unit.depth == 2:
            unit.weight = 0.15

    for unit in units:
        chain = []
        node: DemoUnit | None = unit
        while node is not None:
            chain.append(node)
            node = node.parent
        branch = next((a for a in chain if a.kind == Unit.Kind.BRANCH), None)
        unit.leaders = [a.leader for a in chain if a.leader and a.kind != Unit.Kind.COMPANY]
        party = branch.party if branch else []
        unit.recorders = list(dict.fromkeys(unit.leaders + party))
        unit.handlers = unit.cadres or party or unit.leaders[:1]
        authors: list[int] = []
        for uid in unit.cadres:
            authors += [uid] * 6
        if unit.leaders:
            authors += [unit.leaders[0]] * 2 + unit.leaders[1:]
        for uid in party:
            authors += [uid] * 2
        unit.authors = authors
    return Org(units=units, users=users, memberships=memberships)


# ---------------------------------------------------------------------------------------------------
# Time: moments are "local seconds" since midnight of the first day, in the site's time zone, and
# are turned into UTC text through lookup tables (formatting millions of datetimes is slow).


class Clock:
    def __init__(self, *, today: dt.date, months: int, tz: dt.tzinfo, ts_suffix: str) -> None:
        self.today = today
        self.start = _months_before(today, months) + dt.timedelta(days=1)
        self.ndays = (today - self.start).days + 1
        self.today_index = self.ndays - 1
        self.now = self.today_index * 86400 + 12 * 3600  # noon today, local: "now" for the data
        horizon = self.ndays + 1200
        days = [self.start + dt.timedelta(days=d) for d in range(-1, horizon)]
        self.dates = [d.isoformat() for d in days]
        self.years = [d.year for d in days]
        self.offsets = [int(dt.datetime.combine(d, dt.time(12), tzinfo=tz).utcoffset().total_seconds()) for d in days]
        self.hms = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{ts_suffix}" for s in range(86400)]
        if len(set(self.offsets)) == 1:  # no daylight saving time (Asia/Shanghai): the quick way
            self.ts = self._ts_fixed  # type: ignore[method-assign]
            self.shift = 86400 - self.offsets[0]

    def ts(self, local: float) -> str:
        """The UTC text of a local moment."""
        secs = int(local)
        day, second = divmod(secs - self.offsets[secs // 86400 + 1] + 86400, 86400)
        return self.dates[day] + self.hms[second]

    def _ts_fixed(self, local: float) -> str:
        day, second = divmod(int(local) + self.shift, 86400)
        return self.dates[day] + self.hms[second]

    def date(self, day: int) -> str:
        return self.dates[day + 1]

    def year(self, day: int) -> int:
        return self.years[day + 1]


class WorkCalendar:
    """The clock's days as fieldwork.workdays counts them (the official calendar, 调休 included), in
    lists: a due date or a rung of the chasing ladder is a few look-ups, not a walk over days.

    Read once, in the process that talks to the database, before the generator forks. Days are the
    clock's day numbers; `rank(day)` counts the working days up to and including it.
    """

    def __init__(self, clock: Clock) -> None:
        first = clock.start - dt.timedelta(days=1)  # the clock's day -1
        self.working = [workdays.is_working_day(first + dt.timedelta(days=i)) for i in range(len(clock.dates))]
        self.ranks: list[int] = []
        self.days: list[int] = [-1]  # days[k]: the k-th working day (1-based)
        for index, working in enumerate(self.working):
            if working:
                self.days.append(index - 1)
            self.ranks.append(len(self.days) - 1)
        self.last = len(self.days) - 1

    def rank(self, day: int) -> int:
        return self.ranks[day + 1]

    def nth(self, rank: int) -> int:
        """The working day of that rank; past the end of the lists, a day after any the data needs."""
        return self.days[rank] if rank <= self.last else 10**6

    def add(self, day: int, n: int) -> int:
        """workdays.add_working_days for n >= 0: the n-th working day after `day`."""
        return self.nth(self.rank(day) + n) if n else day

    def working_from(self, day: int) -> int:
        """The day itself if it is a working day, else the next working day."""
        return day if self.working[day + 1] else self.nth(self.rank(day) + 1)

    def before(self, day: int, n: int) -> int:
        """The n-th working day before `day` (n >= 1); long before the data if there is none."""
        rank = self.rank(day) - self.working[day + 1] - n + 1
        return self.days[rank] if rank >= 1 else -(10**6)

    def first_run(self, moment: float) -> int:
        """The first day on which send_reminders runs (07:30 on working days) after `moment`."""
        day = int(moment // DAY)
        if self.working[day + 1] and moment < day * DAY + LADDER_RUN:
            return day
        return self.nth(self.rank(day) + 1)


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# ---------------------------------------------------------------------------------------------------
# Tables: the columns we fill. Any other column of the model gets its default, so that a field added
# later with a default does not break the seed (one without a default stops it with a clear message).


@dataclass
class Table:
    model: type[models.Model]
    columns: list[str]
    name: str = ""
    extra_columns: list[str] = field(default_factory=list)
    extra_values: tuple = ()


TABLE_COLUMNS = {
    "user": "id password is_superuser username first_name last_name email is_staff is_active date_joined",
    "unit": "id name code kind parent_id path depth active receiver_id",
    "membership": "id user_id unit_id role",
    "visit": "id unit_id date form location people_reached summary author_id created_at updated_at",
    "concern": "id reference unit_id visit_id source raised_by_name raised_by_contact anonymous category_id "
    "title description priority solvability due_date owner_id status resolution raised_at taken_up_at "
    "resolved_at closed_at reopen_count receipt_code created_by_id created_at updated_at version "
    "supervised_at extensions_granted",
    "event": "id concern_id kind actor_id from_status to_status note public created_at",
    "action": "id concern_id unit_id description owner_id due_date done_at outcome created_by_id created_at",
    "feedback": "id concern_id date channel satisfaction comment recorded_by_id created_at",
    "extension": "id concern_id requested_by_id due_date_before requested_due_date reason status decided_by_id "
    "decided_at decision_note created_at",
}
TABLE_MODELS = {
    "unit": Unit,
    "membership": Membership,
    "visit": Visit,
    "concern": Concern,
    "event": ConcernEvent,
    "action": FollowUpAction,
    "feedback": Feedback,
    "extension": ExtensionRequest,
}
M2M_TABLES = {
    "visit_cadres": (Visit, "cadres"),
    "visit_principles": (Visit, "principles"),
    "concern_principles": (Concern, "principles"),
    "action_principles": (FollowUpAction, "principles"),
}


def tables() -> dict[str, Table]:
    """Every table the seed writes, in the order it writes them."""
    found: dict[str, Table] = {}
    order = ["user", "unit", "membership", "visit", "visit_cadres", "visit_principles", "concern"]
    order += ["concern_principles", "event", "action", "action_principles", "feedback", "extension"]
    for key in order:
        if key in M2M_TABLES:
            owner, name = M2M_TABLES[key]
            m2m = owner._meta.get_field(name)
            found[key] = Table(m2m.remote_field.through, ["id", m2m.m2m_column_name(), m2m.m2m_reverse_name()])
        else:
            model = get_user_model() if key == "user" else TABLE_MODELS[key]
            found[key] = Table(model, TABLE_COLUMNS[key].split())
    for table in found.values():
        meta = table.model._meta
        table.name = meta.db_table
        known = set(table.columns)
        for model_field in meta.concrete_fields:
            if model_field.column in known:
                continue
            if not (model_field.has_default() or model_field.null):
                raise LookupError(f"seed_demo does not fill {meta.label}.{model_field.name}: see fieldwork/demo.py")
            table.extra_columns.append(model_field.column)
            table.extra_values += (model_field.get_db_prep_save(model_field.get_default(), connection),)
    return found


# ---------------------------------------------------------------------------------------------------
# Sinks: where the rows go.


class SqliteSink:
    """executemany in the caller's transaction: quick enough for the default size and for tests."""

    NULL: Any = None
    TRUE: Any = 1
    FALSE: Any = 0

    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables
        self.timings: dict[str, float] = {}

    def start(self) -> None:
        pass

    def write(self, key: str, rows: list[tuple]) -> None:
        if not rows:
            return
        table = self.tables[key]
        qn = connection.ops.quote_name
        columns = [*table.columns, *table.extra_columns]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            qn(table.name), ", ".join(map(qn, columns)), ", ".join(["%s"] * len(columns))
        )
        if table.extra_values:
            rows = [row + table.extra_values for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def finish(self) -> None:
        pass


class PostgresSink:
    """COPY into PostgreSQL on the Django connection, so the load belongs to the caller's transaction.

    The foreign keys and the secondary indexes of the loaded tables are dropped for the load and
    made again at the end: building an index once and checking a foreign key in one join take a
    fraction of the time of growing indexes and firing a trigger row by row.
    """

    NULL: Any = "\\N"
    TRUE: Any = "t"
    FALSE: Any = "f"

    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.indexes: list[tuple[str, str, str, str | None, str | None]] = []
        self.timings: dict[str, float] = {}
        self.formats: dict[str, str] = {}
        self.sql: dict[str, str] = {}
        qn = connection.ops.quote_name
        for key, table in tables.items():
            suffix = "".join("\t" + _copy_text(v).replace("%", "%%") for v in table.extra_values)
            self.formats[key] = "\t".join(["%s"] * len(table.columns)) + suffix + "\n"
            columns = ", ".join(map(qn, [*table.columns, *table.extra_columns]))
            self.sql[key] = f"COPY {qn(table.name)} ({columns}) FROM STDIN"

    def start(self) -> None:
        names = [t.name for t in self.tables.values()]
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # pending deferred checks forbid ALTER TABLE
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute("SET LOCAL maintenance_work_mem TO '256MB'")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
                [names],
            )
            self.foreign_keys = cursor.fetchall()
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
            # Every index but the primary keys and those a foreign key of another table relies on.
            cursor.execute(
                "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), "
                "c.conname, pg_get_constraintdef(c.oid) FROM pg_index i "
                "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('u', 'x') "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid) "
                "ORDER BY 1, 2",
                [names],
            )
            self.indexes = cursor.fetchall()
            for table, index, _definition, constraint, _condef in self.indexes:
                if constraint:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(constraint)}")
                else:
                    cursor.execute(f"DROP INDEX {index}")

    def encode(self, key: str, rows: list[tuple]) -> bytes:
        return "".join(map(self.formats[key].__mod__, rows)).encode()

    def write(self, key: str, rows: list[tuple]) -> None:
        if rows:
            self.write_encoded(key, self.encode(key, rows))

    def write_encoded(self, key: str, data: bytes) -> None:
        started = time.monotonic()
        # Django's cursor wraps a psycopg 3 cursor (.cursor), whose copy() streams COPY FROM STDIN.
        with connection.cursor() as cursor, cursor.cursor.copy(self.sql[key]) as copy:
            copy.write(data)
        self._time(f"copy {self.tables[key].name}", started)

    def finish(self) -> None:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, _index, definition, constraint, condef in self.indexes:
                started = time.monotonic()
                if constraint:
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(constraint)} {condef}")
                else:
                    cursor.execute(definition)
                self._time(f"index {table}", started)
            for table, name, definition in self.foreign_keys:
                started = time.monotonic()
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
                self._time(f"foreign keys {table}", started)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables.values()]):
                cursor.execute(sql)
            started = time.monotonic()
            for table in self.tables.values():
                cursor.execute(f"ANALYZE {qn(table.name)}")
            self._time("analyze", started)

    def _time(self, what: str, started: float) -> None:
        self.timings[what] = self.timings.get(what, 0.0) + time.monotonic() - started


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# ---------------------------------------------------------------------------------------------------
# Progress on stderr


class Progress:
    def __init__(self, *, total: int, stream: TextIO | None) -> None:
        self.total, self.stream = max(total, 1), stream
        self.started = self.shown = time.monotonic()
        self.done = self.shown_done = 0

    def update(self, done: int, *, force: bool = False) -> None:
        self.done = done
        now = time.monotonic()
        if self.stream is None or (not force and now - self.shown < 0.5):
            return
        self.shown, self.shown_done = now, done
        share = min(done / self.total, 1.0)
        elapsed = now - self.started
        left = elapsed / share - elapsed if share else 0.0
        self.stream.write(
            f"\rvisits [{'#' * int(share * 30):<30}] {done:,}/{self.total:,} {share:4.0%}"
            f"  {elapsed:4.0f}s, about {left:4.0f}s to go "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None:
            if self.shown_done != self.done:
                self.update(self.done, force=True)
            self.stream.write("\n")
            self.stream.flush()


# ---------------------------------------------------------------------------------------------------
# Visits, concerns and everything that follows them


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _pool(pairs: Sequence[tuple[Any, int]]) -> list[Any]:
    """A list with each value repeated by its weight: picking an index is the cheapest weighted draw."""
    return [value for value, weight in pairs for _ in range(weight)]


INF = float("inf")
DAY = 86400
HOUR = 3600
LADDER_RUN = 7.5 * HOUR  # cron runs send_reminders at 07:30 (README)
SAT, BASIC, DISSAT = (
    Feedback.Satisfaction.SATISFIED.value,
    Feedback.Satisfaction.BASICALLY.value,
    Feedback.Satisfaction.DISSATISFIED.value,
)
OPEN, IN_PROGRESS, RESOLVED, CLOSED, WITHDRAWN = (
    Concern.Status.OPEN.value,
    Concern.Status.IN_PROGRESS.value,
    Concern.Status.RESOLVED.value,
    Concern.Status.CLOSED.value,
    Concern.Status.WITHDRAWN.value,
)
# Plain strings, not the TextChoices members: "%s" % member runs Enum.__str__ for each of millions of rows.
K = SimpleNamespace(**{member.name: member.value for member in ConcernEvent.Kind})
PUBLIC, VISIT_SOURCE, OTHER_SOURCE = (
    Concern.Source.PUBLIC.value,
    Concern.Source.VISIT.value,
    Concern.Source.OTHER.value,
)
SELF_SERVICE, PHONE, IN_PERSON = (
    Feedback.Channel.SELF_SERVICE.value,
    Feedback.Channel.PHONE.value,
    Feedback.Channel.IN_PERSON.value,
)


class Generator:
    """Visits in date order, each with its concerns and their whole lives up to "now"."""

    def __init__(self, *, rng: random.Random, org: Org, clock: Clock, last_ids: dict[str, int], sink: Any) -> None:
        self.rng, self.org, self.clock = rng, org, clock
        self.null, self.true, self.false = sink.NULL, sink.TRUE, sink.FALSE
        self.ids = dict(last_ids)
        self.references: dict[int, int] = {}
        self.due_days = {k: int(v) for k, v in settings.FIELDWORK["DUE_DAYS"].items()}
        self.work = WorkCalendar(clock)
        self.remind, self.supervise, self.notice = ladder.ladder_settings()
        self.leader_chain = {u.id: _leader_chain(u) for u in org.units}
        self.principles = list(Principle.objects.order_by("ordering", "code").values_list("pk", flat=True))
        codes = dict(Category.objects.values_list("code", "pk"))
        if not codes or not self.principles:
            raise LookupError("No categories or principles: run `manage.py migrate` first.")
        fallback = codes.get("other", next(iter(codes.values())))
        self.categories = {
            code: (codes.get(code, fallback), titles, descriptions, resolutions)
            for code, (_w, titles, descriptions, resolutions) in CATEGORY_TEXTS.items()
        }
        self.category_pool = _pool([(code, w) for code, (w, *_rest) in CATEGORY_TEXTS.items()])
        self.names = {u.id: u.last_name + u.first_name for u in org.users}
        self.visited = [u for u in org.units if u.weight > 0]
        self.visited_cum = _cumulative([u.weight for u in self.visited])
        self.leaves = [u for u in self.visited if not u.children]
        self.leaves_cum = _cumulative([u.weight for u in self.leaves])
        self.forms = {form: (people, locations) for form, _w, people, locations, _o in VISIT_FORMS}
        self.form_pool = _pool([(form, w) for form, w, *_rest in VISIT_FORMS])
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
        self.concern_counts = _pool([(0, 5), (1, 4), (2, 2), (3, 1)])
        self.action_counts = _pool([(1, 2), (2, 4), (3, 2), (4, 1)])
        self.priority_pool = _pool([("urgent", 3), ("normal", 13), ("long_term", 4)])
        self.solvability_pool = _pool([("now", 62), ("long_term", 28), ("policy", 10)])
        self.rows: dict[str, list[tuple]] = {}

    # -- the visit loop ------------------------------------------------------------------------------

    def chunks(self, total: int) -> Iterator[tuple[dict[str, list[tuple]], int]]:
        rng, clock = self.rng, self.clock
        showcase = [
            (clock.today_index - min(item[0], clock.today_index), index)
            for index, item in enumerate(SHOWCASE[: max(0, total)])
        ]
        weights = [
            (0.25 if day.weekday() == 5 else 0.15 if day.weekday() == 6 else 1.0)
            for day in (clock.start + dt.timedelta(days=d) for d in range(clock.ndays))
        ]
        days = rng.choices(range(clock.ndays), cum_weights=_cumulative(weights), k=total - len(showcase))
        slots = sorted([(d, -1) for d in days] + showcase)
        self._new_chunk()
        for number, (day, showcase_index) in enumerate(slots, start=1):
            self.visit(day, showcase_index)
            if number % CHUNK_VISITS == 0:
                yield self.rows, number
                self._new_chunk()
        yield self.rows, len(slots)

    def _new_chunk(self) -> None:
        self.rows = {key: [] for key in TABLE_ORDER_GENERATED}

    def visit(self, day: int, showcase_index: int) -> None:
        r, clock, rows = self.rng.random, self.clock, self.rows
        if showcase_index >= 0:
            unit = self.org.unit("bdyx-1")
            author = unit.cadres[0]
            form = SHOWCASE[showcase_index][1]
        else:
            unit = self.visited[bisect.bisect(self.visited_cum, r() * self.visited_cum[-1])]
            author = unit.authors[int(r() * len(unit.authors))]
            form = self.form_pool[int(r() * len(self.form_pool))]
        ids = self.ids
        ids["visit"] += 1
        visit_id = ids["visit"]
        if day == clock.today_index:
            at = day * DAY + 7.5 * HOUR + r() * 3 * HOUR
        else:
            at = day * DAY + 8.5 * HOUR + r() * 9 * HOUR
        logged = min(at + 1200 + r() * 5400, clock.now - 60)
        logged_text = clock.ts(logged)
        (low, high), locations = self.forms[form]
        summaries = self.summaries[form]
        rows["visit"].append(
            (
                visit_id,
                unit.id,
                clock.date(day),
                form,
                locations[int(r() * len(locations))],
                low + int(r() * (high - low + 1)),
                summaries[int(r() * len(summaries))],
                author,
                logged_text,
                logged_text,
            )
        )
        cadres = {author}
        if r() < 0.45:
            cadres.add(unit.authors[int(r() * len(unit.authors))])
            if r() < 0.3:
                cadres.add(unit.authors[int(r() * len(unit.authors))])
        first = ids["visit_cadres"]
        ids["visit_cadres"] += len(cadres)
        rows["visit_cadres"].extend((first + n, visit_id, uid) for n, uid in enumerate(sorted(cadres), start=1))
        principles = self.principle_sets[int(r() * len(self.principle_sets))]
        first = ids["visit_principles"]
        ids["visit_principles"] += len(principles)
        rows["visit_principles"].extend((first + n, visit_id, p) for n, p in enumerate(principles, start=1))

        if showcase_index >= 0:
            (_ago, _form, category, priority, take, cycles, withdraw, solvability, public) = SHOWCASE[showcase_index]
            plan = (
                None if take is None else take * HOUR,
                [(w * DAY, c * DAY, s) for w, c, s in cycles],
                None if withdraw is None else withdraw * DAY,
                solvability,
            )
            self.concern(
                day=day,
                raised=logged,
                unit=unit,
                visit_id=visit_id,
                source=VISIT_SOURCE,
                owner=author,
                created_by=author,
                principles=principles[:1],
                category=category,
                priority=priority,
                plan=plan,
            )
            if public:
                self.concern(
                    day=day,
                    raised=logged + 3 * HOUR,
                    unit=unit,
                    visit_id=None,
                    source=PUBLIC,
                    owner=unit.receiver,
                    created_by=None,
                    principles=[],
                    category="working_conditions",
                    priority="normal",
                    plan=(None, [], None, ""),
                    receipt=SHOWCASE_RECEIPT,
                )
            return

        for i in range(self.concern_counts[int(r() * len(self.concern_counts))]):
            self.concern(
                day=day,
                raised=min(logged + i * 60, clock.now - 1),
                unit=unit,
                visit_id=visit_id,
                source=VISIT_SOURCE,
                owner=author,
                created_by=author,
                principles=principles[:1] if r() < 0.6 else [],
            )
        if r() < 0.05:  # someone used the public channel that day
            leaf = self.leaves[bisect.bisect(self.leaves_cum, r() * self.leaves_cum[-1])]
            self.concern(
                day=day,
                raised=min(day * DAY + 7 * HOUR + r() * 15 * HOUR, clock.now - 600),
                unit=leaf,
                visit_id=None,
                source=PUBLIC,
                owner=leaf.receiver,
                created_by=None,
                principles=[],
            )
        if r() < 0.03:  # raised at a meeting or by phone, entered by a leader
            leader = unit.leaders[0]
            self.concern(
                day=day,
                raised=min(logged + HOUR, clock.now - 300),
                unit=unit,
                visit_id=None,
                source=OTHER_SOURCE,
                owner=unit.handlers[0],
                created_by=leader,
                principles=[],
            )

    # -- one concern and its life --------------------------------------------------------------------

    def random_plan(self, priority: str) -> tuple:
        """(take-up delay, [(work, callback delay, satisfaction), ...], withdrawn after, solvability)."""
        r = self.rng.random
        x = r()
        if x < 0.70:
            take = 0.5 * HOUR + r() * 20 * HOUR
        elif x < 0.88:
            take = DAY + r() * 1.5 * DAY
        elif x < 0.97:
            take = 3 * DAY + r() * 7 * DAY
        else:
            take = 10 * DAY + r() * 80 * DAY
        solvability = self.solvability_pool[int(r() * len(self.solvability_pool))]
        if priority == "long_term" and solvability == "now":
            solvability = "long_term"
        cycles = []
        for round_ in range(3):
            x = r()
            if round_:
                work = (1 + r() * 4) if priority == "urgent" else (2 + r() * 18)
            elif x < 0.03:  # stuck for months
                work = 150 + r() * 350
            elif priority == "urgent":
                work = 1 + r() * 5 if x < 0.85 else 7 + r() * 18
            elif priority == "normal":
                work = 3 + r() * 25 if x < 0.80 else 29 + r() * 40
            else:
                work = 10 + r() * 75 if x < 0.80 else 86 + r() * 115
            callback = 0.5 + r() * 5.5 if r() < 0.85 else 7 + r() * 18
            x = r()
            satisfied_share = 0.70 if not round_ else 0.60
            satisfaction = SAT if x < satisfied_share else BASIC if x < 0.88 else DISSAT
            cycles.append((work * DAY, callback * DAY, satisfaction))
            if satisfaction != DISSAT:
                break
        withdraw = (0.2 + r() * 12) * DAY if r() < 0.025 else None
        return take, cycles, withdraw, solvability

    def concern(
        self,
        *,
        day: int,
        raised: float,
        unit: DemoUnit,
        visit_id: int | None,
        source: str,
        owner: int | None,
        created_by: int | None,
        principles: list[int],
        category: str | None = None,
        priority: str | None = None,
        plan: tuple | None = None,
        receipt: str = "",
    ) -> None:
        r, clock, rows, null, ids, ts = self.rng.random, self.clock, self.rows, self.null, self.ids, self.clock.ts
        now = clock.now
        ids["concern"] += 1
        concern_id = ids["concern"]
        year = clock.year(day)
        number = self.references[year] = self.references.get(year, 0) + 1
        priority = priority or self.priority_pool[int(r() * len(self.priority_pool))]
        category = category or self.category_pool[int(r() * len(self.category_pool))]
        category_id, titles, descriptions, resolutions = self.categories[category]
        pick = int(r() * 1000)
        title = titles[pick % len(titles)]
        description = descriptions[pick % len(descriptions)]
        resolution_text = resolutions[pick % len(resolutions)]
        anonymous = r() < (0.5 if source == PUBLIC else 0.1)
        name = contact = ""
        if not anonymous:
            x = r()
            surname = SURNAMES[int(r() * len(SURNAMES))]
            if x < 0.6:
                name = surname + GIVEN_NAMES[int(r() * len(GIVEN_NAMES))]
            elif x < 0.85:
                name = surname + "师傅"
            if name and r() < 0.5:
                contact = f"分机 {6000 + int(r() * 4000)}"
        if source == PUBLIC:  # stored as fieldwork.public.receipt_code_hash does
            receipt = receipt or "".join(RECEIPT_ALPHABET[int(r() * len(RECEIPT_ALPHABET))] for _ in range(12))
            receipt = hashlib.sha256(receipt.encode("ascii")).hexdigest()
        take, cycles, withdraw, solvability = plan or self.random_plan(priority)
        due_days = self.due_days[priority]
        due_day = self.work.add(day, due_days)  # as services.concerns.default_due_date counts it
        # Spells open or in progress, each with the due date it had: (from, due day, until).
        spells: list[tuple[float, int, float]] = []
        spell_start = raised

        events: list[tuple] = [(raised, K.RAISED, created_by, "", OPEN, "", True)]
        status, version, reopens = OPEN, 1, 0
        taken = resolved = closed = None
        resolution = ""
        withdraw_at = raised + withdraw if withdraw is not None and raised + withdraw <= now else INF
        periods: list[tuple[float, float | None]] = []
        feedback_rows = rows["feedback"]
        started = raised + take if take is not None else INF
        owner_at_raise = owner
        if owner is None and started - 900 < min(now, withdraw_at):  # a leader assigns it first
            owner = unit.handlers[int(r() * len(unit.handlers))]
            note = f"{NOBODY} → {self.names[owner]}"
            events.append((started - 900, K.REASSIGNED, unit.leaders[0], "", "", note, False))
            version += 1
        if started <= now and started < withdraw_at:
            taken, status = started, IN_PROGRESS
            events.append((started, K.STARTED, owner, OPEN, IN_PROGRESS, "", True))
            version += 1
            if started + 1800 <= now and started + 1800 < withdraw_at:
                events.append((started + 1800, K.ASSESSED, owner, "", "", SOLVABILITY_LABELS[solvability], False))
                version += 1
            else:
                solvability = ""
            begin = started
            for work, callback_delay, satisfaction in cycles:
                done_at = begin + work
                if done_at > now or done_at >= withdraw_at:
                    periods.append((begin, None))
                    break
                periods.append((begin, done_at))
                spells.append((spell_start, due_day, done_at))
                withdraw_at = INF  # a resolved concern is no longer withdrawn
                resolution = POLICY_RESOLUTION if solvability == "policy" else resolution_text
                if reopens:
                    resolution = REOPEN_RESOLUTION_PREFIX + resolution
                resolved, status = done_at, RESOLVED
                events.append((done_at, K.RESOLVED, owner, IN_PROGRESS, RESOLVED, resolution, True))
                version += 1
                called = done_at + callback_delay
                if called + 1 > now:  # the callback and the closing or reopening right after it
                    break
                if source == PUBLIC and r() < 0.5:
                    channel, recorder = SELF_SERVICE, None
                else:
                    channel = PHONE if r() < 0.45 else IN_PERSON
                    recorder = unit.recorders[int(r() * len(unit.recorders))]
                    if recorder == owner:
                        others = [u for u in unit.recorders if u != owner]
                        recorder = others[int(r() * len(others))] if others else None
                        channel = channel if recorder else SELF_SERVICE
                comments = FEEDBACK_COMMENTS[satisfaction]
                comment = comments[int(r() * len(comments))]
                ids["feedback"] += 1
                feedback_rows.append(
                    (
                        ids["feedback"],
                        concern_id,
                        clock.date(int(called // DAY)),
                        channel,
                        satisfaction,
                        comment,
                        recorder if recorder else null,
                        ts(called),
                    )
                )
                label = SATISFACTION_LABELS[satisfaction]
                note = f"{label}：{comment}" if comment else label
                events.append((called, K.CALLBACK, recorder, "", "", note, True))
                version += 1
                if satisfaction != DISSAT:
                    closed, status = called + 1, CLOSED
                    events.append((called + 1, K.CLOSED, recorder, RESOLVED, CLOSED, "", True))
                    break
                reopens += 1
                resolved, status = None, IN_PROGRESS
                due_day = self.work.add(int(called // DAY), due_days)
                note = NEW_DUE_DATE.format(clock.date(due_day))
                events.append((called + 1, K.REOPENED, recorder, RESOLVED, IN_PROGRESS, note, True))
                begin = spell_start = called + 1
            else:  # every callback dissatisfied: back at work after the last one
                periods.append((begin, None))
        else:
            solvability = ""
        if withdraw_at <= now and status in (OPEN, IN_PROGRESS):
            spells.append((spell_start, due_day, withdraw_at))
            leader = unit.leaders[int(r() * len(unit.leaders))]
            note = WITHDRAW_NOTES[int(r() * len(WITHDRAW_NOTES))]
            events.append((withdraw_at, K.WITHDRAWN, leader, status, WITHDRAWN, note, True))
            status = WITHDRAWN
            version += 1
        else:
            if status in (OPEN, IN_PROGRESS):
                spells.append((spell_start, due_day, INF))
            if periods:
                self.actions(concern_id, periods, owner, priority, unit, events)
        # Extensions asked for and decided, and the chasing ladder, over each spell.
        owner_since = raised if owner_at_raise is not None else started - 900
        supervised_at = INF
        extensions = 0
        for first, due, until in spells:
            due, granted, supervised = self.chase(
                concern_id, unit, priority, owner, owner_since, first, due, until, events
            )
            extensions += granted
            version += granted
            supervised_at = min(supervised_at, supervised)
        if spells:
            due_day = due  # as the last spell left it, extended or not

        events.sort(key=_first)
        true, false = self.true, self.false
        first_event = ids["event"]
        ids["event"] += len(events)
        raised_text = ts(raised)
        rows["event"].extend(
            (
                first_event + number,
                concern_id,
                kind,
                actor or null,
                from_status,
                to_status,
                note,
                true if public else false,
                raised_text if number == 1 else ts(at),
            )
            for number, (at, kind, actor, from_status, to_status, note, public) in enumerate(events, start=1)
        )
        last_change = max(at for at, kind, *_rest in events if kind not in UNVERSIONED_KINDS)
        rows["concern"].append(
            (
                concern_id,
                f"FW-{year}-{number:06d}",
                unit.id,
                visit_id if visit_id else null,
                source,
                name,
                contact,
                self.true if anonymous else self.false,
                category_id,
                title,
                description,
                priority,
                solvability,
                clock.date(due_day),
                owner if owner else null,
                status,
                resolution,
                raised_text,
                ts(taken) if taken is not None else null,
                ts(resolved) if resolved is not None else null,
                ts(closed) if closed is not None else null,
                reopens,
                receipt,
                created_by or null,
                raised_text,
                ts(last_change),
                version,
                ts(supervised_at) if supervised_at < INF else null,
                extensions,
            )
        )
        if principles:
            first = ids["concern_principles"]
            ids["concern_principles"] += len(principles)
            rows["concern_principles"].extend(
                (first + number, concern_id, p) for number, p in enumerate(principles, start=1)
            )

    def chase(
        self,
        concern_id: int,
        unit: DemoUnit,
        priority: str,
        owner: int | None,
        owner_since: float,
        start: float,
        due: int,
        until: float,
        events: list[tuple],
    ) -> tuple[int, int, float]:
        """One spell of a concern open or in progress, from `start` until `until`, due on day `due`:
        the owner's extension requests (延期申请) and a leader's decisions on them, then the rungs of
        the chasing ladder that the daily send_reminders wrote. Returns the due day as extended,
        the extensions granted, and when the concern came under supervision (INF: it did not).

        As the services have it: a request only before the due date, by the owner, decided by a
        leader of the unit other than the owner; an approval moves the due date and starts the
        ladder again; a refusal says why.
        """
        work = self.work
        if until < work.nth(max(1, work.rank(due) - self.remind)) * DAY + LADDER_RUN:
            return due, 0, INF  # done before the first reminder could go out: most concerns, quickly
        r, clock, now = self.rng.random, self.clock, self.clock.now
        rows, ids, ts, null = self.rows["extension"], self.ids, clock.ts, self.null
        granted, supervised, asked = 0, INF, 0
        decider = next((uid for uid in unit.leaders if uid != owner), None)
        # Asked for only when the work is still going at the end of the due day, and not always.
        while owner is not None and decider is not None and asked < 2 and until >= (due + 1) * DAY:
            if r() >= (0.45 if not asked else 0.2):
                break
            asked += 1
            at = work.before(due, 1 + int(r() * 3)) * DAY + 9 * HOUR + r() * 8 * HOUR
            decided = at + (1 + r() * 30) * HOUR
            if at <= max(start, owner_since) + HOUR or at > now or decided >= until:
                break
            low, high = EXTENSION_DAYS[priority]
            wanted = work.add(due, low + int(r() * (high - low + 1)))
            reason = EXTENSION_REASONS[int(r() * len(EXTENSION_REASONS))]
            old, new = clock.date(due), clock.date(wanted)
            text = f"{old} → {new}: {reason}"
            events.append((at, K.EXTENSION_REQUESTED, owner, "", "", text, False))
            ids["extension"] += 1
            number = ids["extension"]
            if decided > now:  # still waiting for a leader today
                rows.append((number, concern_id, owner, old, new, reason, PENDING, null, null, "", ts(at)))
                break
            if r() < 0.75:
                note = EXTENSION_APPROVALS[int(r() * len(EXTENSION_APPROVALS))]
                shown = f"{text} ({note})" if note else text
                events.append((decided, K.EXTENSION_APPROVED, decider, "", "", shown, True))
                rows.append((number, concern_id, owner, old, new, reason, APPROVED, decider, ts(decided), note, ts(at)))
                supervised = min(supervised, self.ladder(unit, owner, owner_since, start, due, decided, events))
                start, due = decided, wanted
                granted += 1
                continue
            note = EXTENSION_REFUSALS[int(r() * len(EXTENSION_REFUSALS))]
            events.append((decided, K.EXTENSION_REFUSED, decider, "", "", f"{new}: {note}", True))
            rows.append((number, concern_id, owner, old, new, reason, REFUSED, decider, ts(decided), note, ts(at)))
            break
        supervised = min(supervised, self.ladder(unit, owner, owner_since, start, due, until, events))
        return due, granted, supervised

    def ladder(
        self, unit: DemoUnit, owner: int | None, owner_since: float, start: float, due: int, until: float, events: list
    ) -> float:
        """The rungs send_reminders (07:30 on each working day) wrote while the concern was open with
        this due date, from `start` until `until`, decided as ladder.ladder_next_rung decides
        them: a reminder REMIND working days before the due date, a chase on the first working day
        after it, supervision SUPERVISE working days later, a notice NOTICE working days after that,
        one rung a day. Returns when it came under supervision (INF: not in this spell)."""
        work, r, clock = self.work, self.rng.random, self.clock
        end = min(until, clock.now)
        first = work.first_run(start)
        rungs = []
        if first <= due:
            rank = work.rank(due) - self.remind
            rungs.append((first if rank < 1 else max(first, work.nth(rank)), K.REMINDED))
            chased = work.nth(work.rank(due) + 1)
        else:
            chased = first
        supervised = work.nth(work.rank(chased) + self.supervise)
        rungs += [(chased, K.CHASED), (supervised, K.SUPERVISED)]
        rungs.append((work.nth(work.rank(supervised) + self.notice), K.NOTICE))
        came = INF
        for day, kind in rungs:
            at = day * DAY + LADDER_RUN + r() * 600  # the run takes a few minutes
            if at >= end:
                break
            if kind in (K.REMINDED, K.CHASED) and owner is not None and at >= owner_since:
                names, level = self.names[owner], None
            else:
                levels = [(node, uid) for node, uid in self.leader_chain[unit.id] if uid != owner]
                level, leader = levels[1] if kind == K.NOTICE and len(levels) > 1 else levels[0]
                names = self.names[leader]
            due_text = clock.date(due)
            if kind == K.REMINDED:
                left = work.rank(due) - work.rank(day)
                when = DUE_IN.format(days=left) if left > 0 else DUE_TODAY
                note = LADDER_NOTES[kind].format(due=due_text, when=when, names=names)
            else:
                days = work.rank(day) - work.rank(due)
                place = (level or unit).name
                note = LADDER_NOTES[kind].format(due=due_text, days=days, names=names, unit=place)
            events.append((at, kind, None, "", "", note, kind == K.SUPERVISED))
            if kind == K.SUPERVISED:
                came = at
        return came

    def actions(
        self,
        concern_id: int,
        periods: list[tuple[float, float | None]],
        owner: int,
        priority: str,
        unit: DemoUnit,
        events: list[tuple],
    ) -> None:
        """Follow-up actions of each working period: several in the first, one after each reopening."""
        r, clock, null, ids, ts = self.rng.random, self.clock, self.null, self.ids, self.clock.ts
        now, due_days = clock.now, self.due_days[priority]
        action_rows, principle_rows = self.rows["action"], self.rows["action_principles"]
        for index, (begin, end) in enumerate(periods):
            count = self.action_counts[int(r() * len(self.action_counts))] if index == 0 else 1
            gap = (end - begin) / (count + 1) if end is not None else (0.3 + r() * 2) * DAY
            for j in range(count):
                created = begin + (j + 1) * gap * (0.5 + r() * 0.5)
                if created > now:
                    break
                ids["action"] += 1
                action_id = ids["action"]
                doer = owner if r() < 0.75 else unit.authors[int(r() * len(unit.authors))]
                text = ACTION_TEXTS[-1] if index else ACTION_TEXTS[int(r() * (len(ACTION_TEXTS) - 1))]
                # a share of the concern's time, set on a working day
                due = self.work.working_from(int(created // DAY) + max(2, int(due_days * (0.3 + 0.7 * r()))))
                if end is not None:
                    done = created + (end - created) * (0.2 + 0.75 * r())
                else:
                    done = created + (1 + r() * due_days * 1.2) * DAY
                    done = done if done <= now else None
                outcome = ACTION_OUTCOMES[int(r() * len(ACTION_OUTCOMES))] if done is not None else ""
                action_rows.append(
                    (
                        action_id,
                        concern_id,
                        unit.id,
                        text,
                        doer,
                        clock.date(due),
                        ts(done) if done is not None else null,
                        outcome,
                        owner,
                        ts(created),
                    )
                )
                note = f"{text}（{self.names[doer]}，{clock.date(due)}）"
                events.append((created, K.ACTION_ADDED, owner, "", "", note, False))
                if done is not None:
                    events.append((done, K.ACTION_DONE, doer, "", "", f"{text}：{outcome}", False))
                if r() < 0.25:
                    principle = self.principles[int(r() * len(self.principles))]
                    ids["action_principles"] += 1
                    principle_rows.append((ids["action_principles"], action_id, principle))


ACTION_KINDS = {K.ACTION_ADDED, K.ACTION_DONE}
PENDING, APPROVED, REFUSED = (
    ExtensionRequest.Status.PENDING.value,
    ExtensionRequest.Status.APPROVED.value,
    ExtensionRequest.Status.REFUSED.value,
)
# Working days an owner asks for, by priority.
EXTENSION_DAYS = {"urgent": (3, 8), "normal": (5, 20), "long_term": (10, 40)}
# Events that leave the concern's version and updated_at as they were (services write them without _write).
UNVERSIONED_KINDS = ACTION_KINDS | {
    K.REMINDED,
    K.CHASED,
    K.SUPERVISED,
    K.NOTICE,
    K.EXTENSION_REQUESTED,
    K.EXTENSION_REFUSED,
}
TABLE_ORDER_GENERATED = [
    "visit",
    "visit_cadres",
    "visit_principles",
    "concern",
    "concern_principles",
    "event",
    "action",
    "action_principles",
    "feedback",
    "extension",
]


def _first(item: tuple) -> float:
    return item[0]


# ---------------------------------------------------------------------------------------------------
# The seed


@dataclass
class Result:
    counts: dict[str, int]
    seconds: float
    timings: dict[str, float]  # seconds per step of the load, where the sink measures them


def seed(
    *,
    today: dt.date,
    visits: int = DEFAULT_VISITS,
    units: int = 0,
    seed_value: int = DEFAULT_SEED,
    months: int = DEFAULT_MONTHS,
    progress: TextIO | None = None,
) -> Result:
    """Load the demo into a database that has no units yet. Call it inside a transaction."""
    started = time.monotonic()
    rng = random.Random(seed_value)
    found = tables()
    last_ids = {key: table.model.objects.aggregate(m=models.Max("pk"))["m"] or 0 for key, table in found.items()}
    existing = dict(get_user_model().objects.values_list("username", "pk"))
    org = build_org(
        rng=rng,
        target_units=units,
        existing_users=existing,
        last_user_id=last_ids["user"],
        last_unit_id=last_ids["unit"],
    )
    sink: SqliteSink | PostgresSink = PostgresSink(found) if connection.vendor == "postgresql" else SqliteSink(found)
    clock = Clock(
        today=today,
        months=months,
        tz=zoneinfo.ZoneInfo(settings.TIME_ZONE),
        ts_suffix="+00" if connection.vendor == "postgresql" else "",
    )
    generator = Generator(rng=rng, org=org, clock=clock, last_ids=last_ids, sink=sink)
    counts = dict.fromkeys(found, 0)
    bar = Progress(total=visits, stream=progress)
    sink.start()
    for key, rows in _org_rows(org, clock, sink, last_ids).items():
        counts[key] += len(rows)
        sink.write(key, rows)
    if isinstance(sink, PostgresSink) and hasattr(os, "fork"):
        generated, references = _load_forked(generator, sink, visits, bar)
    else:
        generated, references = _load_inline(generator, sink, visits, bar)
    for key, count in generated.items():
        counts[key] += count
    bar.close()
    load_seconds = time.monotonic() - started
    sink.finish()
    for year, last in sorted(references.items()):
        counter, _created = ReferenceCounter.objects.get_or_create(year=year)
        if counter.last < last:
            ReferenceCounter.objects.filter(year=year).update(last=last)
    timings = {"generate and load": load_seconds, **sink.timings}
    rebuilt = time.monotonic()
    rollups.rebuild()  # the rows went in without the signals that keep the dashboard's rollups in step
    timings["rollups"] = time.monotonic() - rebuilt
    return Result(counts=counts, seconds=time.monotonic() - started, timings=timings)


def _load_inline(
    generator: Generator, sink: SqliteSink | PostgresSink, visits: int, bar: Progress
) -> tuple[dict[str, int], dict[int, int]]:
    counts: dict[str, int] = {}
    for chunk, done in generator.chunks(visits):
        for key, rows in chunk.items():
            counts[key] = counts.get(key, 0) + len(rows)
            sink.write(key, rows)
        bar.update(done)
    return counts, generator.references


FRAME = struct.Struct("!hq")  # table number (or one of the codes below), length or progress
PROGRESS, DONE, FAILED = -1, -2, -3


def _load_forked(
    generator: Generator, sink: PostgresSink, visits: int, bar: Progress
) -> tuple[dict[str, int], dict[int, int]]:
    """Generate in a child process and COPY in this one: the two use both cores, with no GIL between.

    The child inherits everything it needs from the fork and never touches the database: it
    writes framed, COPY-ready chunks to a pipe and leaves with os._exit, so that nothing of the
    parent's connection is closed or flushed from it. Only the parent talks to PostgreSQL.
    """
    keys = list(sink.tables)
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a process that has threads (a test runner's): the child
        # runs only the generator's own code, which takes no lock another thread could hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb", buffering=1 << 20) as out:
                try:
                    counts: dict[str, int] = {}
                    for chunk, done in generator.chunks(visits):
                        for key, rows in chunk.items():
                            if rows:
                                counts[key] = counts.get(key, 0) + len(rows)
                                data = sink.encode(key, rows)
                                out.write(FRAME.pack(keys.index(key), len(data)))
                                out.write(data)
                        out.write(FRAME.pack(PROGRESS, done))
                    summary = pickle.dumps((counts, generator.references))
                    out.write(FRAME.pack(DONE, len(summary)))
                    out.write(summary)
                    code = 0
                except BaseException:
                    message = traceback.format_exc().encode()
                    out.write(FRAME.pack(FAILED, len(message)))
                    out.write(message)
        finally:
            os._exit(code)
    os.close(write_fd)
    result = None
    try:
        with os.fdopen(read_fd, "rb", buffering=1 << 20) as pipe:
            while True:
                header = pipe.read(FRAME.size)
                if len(header) < FRAME.size:
                    raise RuntimeError("The seed_demo generator stopped without a word.")
                number, size = FRAME.unpack(header)
                if number == PROGRESS:
                    bar.update(size)
                    continue
                data = pipe.read(size)
                if number == DONE:
                    result = pickle.loads(data)
                    break
                if number == FAILED:
                    raise RuntimeError("The seed_demo generator failed:\n" + data.decode())
                sink.write_encoded(keys[number], data)
    finally:
        if result is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    return result


def _org_rows(org: Org, clock: Clock, sink: Any, last_ids: dict[str, int]) -> dict[str, list[tuple]]:
    password = make_password(PASSWORD)  # hashing is slow on purpose: once for everyone
    joined = clock.ts(0)
    null, true, false = sink.NULL, sink.TRUE, sink.FALSE
    users = [
        (
            u.id,
            password,
            true if u.superuser else false,
            u.username,
            u.first_name,
            u.last_name,
            f"{u.username}@example.com",
            true if u.superuser else false,
            true,
            joined,
        )
        for u in org.users
        if not u.existing
    ]
    units = [
        (
            u.id,
            u.name,
            u.code,
            u.kind,
            u.parent.id if u.parent else null,
            u.path,
            u.depth,
            true,
            u.receiver if u.receiver else null,
        )
        for u in org.units
    ]
    memberships = [
        (number, user_id, unit_id, role)
        for number, (user_id, unit_id, role) in enumerate(org.memberships, start=last_ids["membership"] + 1)
    ]
    return {"user": users, "unit": units, "membership": memberships}


# ---------------------------------------------------------------------------------------------------
# The sign-in table


SIGN_INS = ["admin", "leader_jt", "leader", "leader_bdyx", "party", "cadre", "cadre2"]


def sign_in_rows() -> list[tuple[str, str, str]]:
    """(username, role, unit) of the demo accounts to show, read from the database."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=SIGN_INS)}
    roles = {
        m.user_id: m
        for m in Membership.objects.filter(user__username__in=SIGN_INS).select_related("unit").order_by("-unit__path")
    }
    out = []
    for username in SIGN_INS:
        user = users.get(username)
        if user is None:
            continue
        membership = roles.get(user.pk)
        if user.is_superuser:
            out.append((username, "superuser", "all units, /admin/"))
        elif membership is not None:
            out.append((username, membership.role, membership.unit.name))
    return out


def showcase_receipt_exists() -> bool:
    return Concern.objects.filter(receipt_code=hashlib.sha256(SHOWCASE_RECEIPT.encode("ascii")).hexdigest()).exists()


def format_table(rows: list[tuple[str, ...]]) -> str:
    """A plain text table that lines up Chinese text (two columns a character) too."""
    widths = [max((_width(row[i]) for row in rows), default=0) for i in range(len(rows[0]))] if rows else []
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
