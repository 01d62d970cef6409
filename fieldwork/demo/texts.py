"""The demo's words and stories: names of places and people, what visits hear, what concerns say.

Plain text only: no tab, newline or backslash (rows go to COPY unescaped; a test checks). The
demo's people are Chinese, so its timeline notes are written in Chinese, as the services write them
for a person who uses the app in Chinese (DEMO_LANGUAGE).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Feedback, Unit, Visit

DEMO_LANGUAGE = "zh-hans"

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
# A few concerns of `cadre` with fixed stories, so that every status, form, category, priority and
# solvability is present at any size, and the demo user's "my work" shows each case.
# days ago, form, category, priority, take-up hours (None: never), cycles (work days, callback days,
# satisfaction), withdrawn after days, solvability, a public concern raised the same day (True: open, with
# the receipt code seed_demo prints; SILENT: anonymous, resolved and never answered, so closed as no answer).
# U: nobody answers: calls on three days, then a leader closes it as unreachable (not a callback).
D, B, S, U = "dissatisfied", "basically", "satisfied", "unreachable"
SILENT = "silent"
SHOWCASE = [
    (12, Visit.Form.HOME_VISIT, "working_conditions", "urgent", None, [], None, "", False),
    (45, Visit.Form.SYMPOSIUM, "pay_benefits", "normal", 20, [(400, 1, S)], None, "long_term", False),
    (4, Visit.Form.HEART_TO_HEART, "skills_training", "normal", 5, [(60, 1, S)], None, "now", True),
    (9, Visit.Form.ON_SITE_SURVEY, "safety", "urgent", 2, [(3, 100, S)], None, "now", False),
    (40, Visit.Form.STAYING_AT_POINT, "daily_hardship", "normal", 6, [(10, 3, S)], None, "now", SILENT),
    (70, Visit.Form.RECEPTION_DAY, "suggestion", "normal", 20, [(12, 4, D), (8, 3, B)], None, "now", False),
    (35, Visit.Form.SYMPOSIUM, "cadre_conduct", "normal", 4, [(6, 2, D), (90, 1, S)], None, "long_term", False),
    (20, Visit.Form.HEART_TO_HEART, "other", "long_term", None, [], 3, "", False),
    (50, Visit.Form.ON_SITE_SURVEY, "pay_benefits", "long_term", 24, [(20, 5, B)], None, "policy", False),
    (30, Visit.Form.HOME_VISIT, "daily_hardship", "normal", 3, [(5, 6, U)], None, "now", False),
]
UNREACHABLE_NOTE = "连续三天电话无人接听，联系方式已失效"
UNREACHABLE_REASON = "三个不同日期电话联系均未接通，按规定关闭"


# The showcase's public concern has this receipt code (in development only: see public_channel.py).
SHOWCASE_RECEIPT = "DEMATRACKXYZ"
TEXT_TABLES: list[Sequence[str]] = [
    [COMPANY[0], BRANCH[0], *OFFICE_NAMES, PLACE_A, PLACE_B, *BRANCH_PLACES, *STATION_TEAMS],
    GIVEN_NAMES,
    VISIT_TOPICS,
    VISIT_CLOSINGS,
    ACTION_TEXTS,
    ACTION_OUTCOMES,
    WITHDRAW_NOTES,
    [POLICY_RESOLUTION, REOPEN_RESOLUTION_PREFIX],
    EXTENSION_REASONS,
    EXTENSION_APPROVALS,
    EXTENSION_REFUSALS,
    *[f[3] + f[4] for f in VISIT_FORMS],
    *[titles + descs + res for _w, titles, descs, res in CATEGORY_TEXTS.values()],
    *FEEDBACK_COMMENTS.values(),
]
