"""What the calendar tests share: a 2027 notice as the State Council might write it, and how to load it."""

import datetime
import io

from django.core.management import call_command

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import category

D = datetime.date


# An arrangement for 2027 as the State Council's notice might read (the real one is not out yet):
# against the estimate it adds 2, 3 January, 11–13 February, 3–4 April, 5 May, 10–11 June,
# 16–17 September and 6–7 October as days off, and 20 February and 25 April as worked weekend days.
NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知
休 2027-01-01 2027-01-03 元旦
休 2027-02-05 2027-02-13 春节
班 2027-02-20 春节调休上班
休 2027-04-03 2027-04-05 清明节
休 2027-05-01 2027-05-05 劳动节
班 2027-04-25 劳动节调休上班
休 2027-06-09 2027-06-11 端午节
休 2027-09-15 2027-09-17 中秋节
休 2027-10-01 2027-10-07 国庆节
"""


def raise_concern(unit, by, priority, title="主变室照明不足") -> Concern:
    return concern_services.concern_create(
        unit=unit, data=ConcernInput(title=title, category=category(), priority=priority), by=by, owner=by
    )


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_holidays", *args, stdout=out)
    return out.getvalue()
