"""Confidential notes on a few of the demo's heart-to-heart talks (谈心谈话), written through the service
(encrypted under FIELDWORK_NOTE_KEYS: the development key in development) and readable by the talk's
author and the branch's party cadre. A handful of rows: no weight on seed_demo at any size."""

from __future__ import annotations

import random

from django.db.models import Exists, OuterRef

from ..models import ConfidentialNote, Membership, Visit
from ..services import talks as talk_services

NOTES = [
    "本人谈到母亲住院，夜班与陪护冲突，希望近三个月调整为白班。已答应与班长商量排班，不在班组会上公开。",
    "对去年评先结果有想法，认为考核不透明。情绪已平复，约定下月再谈一次，注意方式方法。",
    "家中经济困难，孩子上学费用有缺口，不愿让同事知道。建议走工会困难帮扶程序，由本人自愿申请。",
    "与班组长有矛盾，影响工作积极性。双方各自谈话后再决定是否调整岗位，暂不扩散。",
    "身体检查发现问题，正在复查，希望暂时不安排登高作业。已记下，复查结果出来后再定。",
    "新入职半年，想参加技能培训但担心影响考核。鼓励报名，培训期间的考核口径向人资部门问清楚。",
]
DEMO_AUTHOR = "cadre"
HOW_MANY = 6


def talk_notes_add(*, seed_value: int) -> int:
    """Notes on the latest heart-to-heart talks of the demo cadre (or of anyone, if they have none);
    returns how many were written. Each reader is a party cadre who works above the talk's unit."""
    rng = random.Random(seed_value)
    talks = Visit.objects.filter(form=Visit.Form.HEART_TO_HEART).exclude(
        Exists(ConfidentialNote.objects.filter(visit=OuterRef("pk")))
    )
    mine = talks.filter(author__username=DEMO_AUTHOR)
    chosen = list(
        (mine if mine.exists() else talks).select_related("unit", "author").order_by("-date", "-id")[:HOW_MANY]
    )
    written = 0
    for visit in chosen:
        above = [int(part) for part in visit.unit.path.strip("/").split("/") if part]
        reader = (
            Membership.objects.filter(unit__in=above, user__username__startswith="party", user__is_active=True)
            .exclude(user=visit.author)
            .select_related("user")
            .order_by("-unit__depth", "user__username")
            .first()
        )
        talk_services.note_save(
            visit=visit, by=visit.author, text=rng.choice(NOTES), readers=[reader.user] if reader else []
        )
        written += 1
    return written
