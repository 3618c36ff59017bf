"""The line a fax machine prints across the top of every page ('28.03.2026 09:17 +352 223 784
136 Laboratoires Schmit P.001/001'), and what its date says about the order's.

An order is dated on or before the day it is faxed. An OCR'd order date after the fax's own
date is misread ('28.03.2028' on a page faxed on 28.03.2026); the date one digit off it that
is on or before the sending day, and at most a year before it, is what was printed — the
latest such date when several are (the order's date is most often the day it was sent, or
shortly before).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from extraction.layout import DocumentLayout
from extraction.normalize import parse_date

FAX_HEADER_BAND = 0.04
"""The fax machine's line lies within this top share of the page."""
_TRANSMISSION_RE = re.compile(r"^(\d{1,2}[./-]\d{1,2}[./-]\d{2,4})\s+\d{1,2}:\d{2}\b")
MAX_ORDER_AGE = timedelta(days=366)


def fax_sent_date(layout: DocumentLayout) -> date | None:
    """The date of the fax header on the first page, or None when the page has none."""
    for line in layout.lines:
        if line.page != 1 or line.bbox[1] > FAX_HEADER_BAND:
            continue
        if match := _TRANSMISSION_RE.match(line.text):
            return parse_date(match[1])
    return None


def order_date_before_sending(read: date, sent: date) -> date | None:
    """The date one digit off `read` that is not after `sent` (nor more than a year before),
    the latest when several are; None when `read` is not after `sent` or nothing fits."""
    if read <= sent:
        return None
    digits = read.strftime("%Y%m%d")
    fitting = []
    for i, printed in enumerate(digits):
        for digit in "0123456789":
            if digit == printed:
                continue
            changed = digits[:i] + digit + digits[i + 1 :]
            try:
                option = date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
            except ValueError:
                continue
            if sent - MAX_ORDER_AGE <= option <= sent:
                fitting.append(option)
    return max(fitting, default=None)
