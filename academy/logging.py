"""Keep personal data out of the logs: e-mail addresses and Kyrgyz phone numbers are masked.

`PersonalDataFilter` is attached to every handler in settings.LOGGING, so whatever a module logs
(including Django's request logs and exception tracebacks) reaches the log file or the console masked:
``aigul.t@example.org`` becomes ``a***@example.org`` and ``+996 555 123 456`` becomes ``+996*******56``.
"""

import logging
import re

EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# +996 followed by nine digits, with any spaces, dashes or brackets between them; also without the "+"
# and in the national form 0XXX XXX XXX. Query strings encode "+" as %2B or a space.
PHONE = re.compile(
    r"(?<![\w%])(?:(?:\+|%2B|00)?[\s(]*996|0(?=[\s\-()]*[2-9]))[\s\-()]*(?:\d[\s\-()]*){7}(\d)[\s\-()]*(\d)(?!\w)",
    re.IGNORECASE,
)


def mask(text):
    """Mask every e-mail address and Kyrgyz phone number in `text`."""
    if not text:
        return text
    text = EMAIL.sub(lambda match: f"{match.group(1)}***@{match.group(2)}", text)
    return PHONE.sub(lambda match: f"+996*******{match.group(1)}{match.group(2)}", text)


class PersonalDataFilter(logging.Filter):
    """Rewrite the record's message (and traceback) with personal data masked; never drops a record."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw message, still masked
            message = str(record.msg)
        masked = mask(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True
