"""SMS through an HTTP gateway (`SMS_URL`, a URL template), and texts that fit in one or two segments."""

from urllib.parse import quote

from django.conf import settings

from . import http
from .errors import PermanentDeliveryError

# GSM 03.38 basic alphabet: a text made only of these goes as 7-bit (160 a segment, 153 when split);
# anything else, Cyrillic included, goes as UCS-2 (70 a segment, 67 when split).
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€")
MAX_SEGMENTS = 2


def is_configured():
    return bool(settings.SMS_URL)


def _is_gsm(text):
    return all(char in GSM_BASIC or char in GSM_EXTENDED for char in text)


def segments(text):
    """How many SMS segments `text` takes."""
    if _is_gsm(text):
        length = sum(2 if char in GSM_EXTENDED else 1 for char in text)
        single, part = 160, 153
    else:
        length = sum(2 if ord(char) > 0xFFFF else 1 for char in text)  # UCS-2 counts astral characters twice
        single, part = 70, 67
    if length <= single:
        return 1
    return -(-length // part)


def fit(text, tail="", max_segments=MAX_SEGMENTS):
    """`text` shortened (with "…") so that `text + tail` fits in `max_segments`; the tail (a link) is kept whole."""
    text = " ".join(text.split())
    joined = f"{text} {tail}".strip()
    if segments(joined) <= max_segments:
        return joined
    while text and segments(f"{text}… {tail}".strip()) > max_segments:
        text = text[:-1].rstrip()
    return f"{text}… {tail}".strip() if text else tail


def send(phone, text):
    if not is_configured():
        raise PermanentDeliveryError("SMS is not configured (SMS_URL).")
    if segments(text) > MAX_SEGMENTS:
        raise PermanentDeliveryError(f"The text takes {segments(text)} SMS segments; at most {MAX_SEGMENTS}.")
    values = {
        "phone": phone,
        "text": text,
        "sender": settings.SMS_SENDER,
        "username": settings.SMS_USERNAME,
        "password": settings.SMS_PASSWORD,
    }
    url = settings.SMS_URL.format(**{name: quote(str(value), safe="") for name, value in values.items()})
    return http.call(settings.SMS_METHOD.upper(), url)
