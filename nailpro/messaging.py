"""Messages to her clients, whatever sends them: an e-mail in the technician's name, an SMS
through the provider, and how many SMS segments a text costs.

Nothing here knows about appointments or consent forms: the app writing to a client decides
what to say and whether she agreed; this module only carries it.

- `technician_email(...)`: an e-mail from the platform's address showing her name
  ("Léa Ongles via NailPro"), answers going to her own address (Reply-To).
- `sms_provider()`: the configured provider, or None (SMS off) when its settings are missing;
  `provider.send(to, body)` returns the provider's message id or raises `SmsError`.
- `sms_segments(text)`: how many SMS a text takes (GSM-7 or UCS-2).
"""

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

# The GSM 03.38 default alphabet; the extension table's characters take two septets.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")
SINGLE = {"gsm7": 160, "ucs2": 70}
PER_PART = {"gsm7": 153, "ucs2": 67}  # a long SMS spends a few units on its joining header


@dataclass(frozen=True)
class Segments:
    encoding: str  # "gsm7" or "ucs2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int


def sms_segments(text):
    """Return how `text` is encoded in an SMS and how many SMS it takes."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        encoding, units = "gsm7", sum(2 if c in GSM7_EXTENSION else 1 for c in text)
    else:
        encoding, units = "ucs2", len(text.encode("utf-16-le")) // 2
    single = units <= SINGLE[encoding]
    count = min(units, 1) if single else -(-units // PER_PART[encoding])
    return Segments(encoding, units, count)


def fits_one_sms(text):
    return sms_segments(text).count == 1


def first_fitting_sms(*texts):
    """The first of `texts` (longest first) that fits one SMS; else the last one."""
    for text in texts:
        if fits_one_sms(text):
            return text
    return texts[-1]


def platform_address():
    """The address the platform sends from (DEFAULT_FROM_EMAIL, without its name)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def from_technician(name):
    """A From header showing her name on the platform's address: "Léa Ongles via NailPro"."""
    display = _("%(name)s via NailPro") % {"name": name} if name else "NailPro"
    user, _at, domain = platform_address().partition("@")
    return str(Address(display_name=display, username=user, domain=domain))


def technician_email(*, name, reply_to, to, subject, body, attachments=()):
    """Build (not send) an e-mail written for the technician `name`, answered to `reply_to`.

    `attachments` are (filename, content, mimetype) triples."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_technician(name),
        to=to,
        reply_to=[reply_to] if reply_to else None,
    )
    for attachment in attachments:
        message.attach(*attachment)
    return message


class SmsError(Exception):
    """The provider refused or could not be reached: nothing was sent."""


class TwilioSms:
    """Twilio's Messages API, over plain HTTPS (https://www.twilio.com/docs/messaging/api)."""

    def __init__(self, *, base_url, account_sid, auth_token, sender, timeout=10):
        self.url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = (account_sid, auth_token)
        self.sender = sender
        self.timeout = timeout

    def send(self, to, body):
        """Send `body` to the E.164 number `to`; return the provider's message id."""
        # A Messaging Service id (MG…) picks the number itself; otherwise it is our number.
        sender_field = "MessagingServiceSid" if self.sender.startswith("MG") else "From"
        data = {"To": to, "Body": body, sender_field: self.sender}
        try:
            response = requests.post(self.url, data=data, auth=self.auth, timeout=self.timeout)
        except requests.RequestException as error:
            raise SmsError(f"SMS provider unreachable: {error}") from error
        if response.status_code >= 300:
            raise SmsError(f"SMS provider refused ({response.status_code}): {response.text[:200]}")
        try:
            return str(response.json().get("sid", ""))[:64]
        except ValueError:
            return ""


def sms_provider():
    """The configured SMS provider, or None: SMS are off until its settings are given."""
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM):
        return None
    return TwilioSms(
        base_url=settings.TWILIO_API_URL,
        account_sid=settings.TWILIO_ACCOUNT_SID,
        auth_token=settings.TWILIO_AUTH_TOKEN,
        sender=settings.TWILIO_FROM,
    )


def sms_enabled():
    return sms_provider() is not None
