"""English dates as a Chinese company's English readers expect them: day, month, year ("15 Dec 2026"),
never the US order (12/15/2026), which reads wrongly here (01/12/2027). Django's own English module
for everything else (settings.FORMAT_MODULE_PATH)."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"  # 15 Dec 2026
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"  # 15 Dec 2026, 14:30
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 15 December
FIRST_DAY_OF_WEEK = 1  # Monday
# The browser's date fields send ISO dates (first); a date typed as shown ("15 Dec 2026") is read too.
# Never a slashed date: 01/12/2027 is read one way in Beijing and another in New York.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%d %b %Y %H:%M",
]
