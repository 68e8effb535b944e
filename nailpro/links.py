"""Links that open another app on her phone: maps, Waze, phone, e-mail, WhatsApp, SMS.

Every such link is built here, in Python or through the template filters of the same names
(nailpro.templatetags.nailpro), never by hand in a template. `person` is anything with a
`phone` (a PhoneNumber) and a `whatsapp_number`, such as a client.
"""

from urllib.parse import quote, urlencode

from django.urls import reverse

from .phones import has_number

# A valid id of every kind our URLs take (a UUID), marking where a row's id goes.
_ID_MARK = "00000000-0000-4000-8000-000000000000"


def page_urls(name):
    """The URL of our page `name` for any id, reversed once for a whole list: a reverse() or a
    {% url %} per row walks the URL resolver on every row. page_urls("clients:detail")(pk)."""
    head, _mark, tail = reverse(name, args=[_ID_MARK]).partition(_ID_MARK)
    return lambda pk: f"{head}{pk}{tail}"


def maps_url(address):
    if not address:
        return ""
    return "https://www.google.com/maps/search/?" + urlencode(
        {"api": 1, "query": address}, quote_via=quote
    )


def waze_url(address):
    if not address:
        return ""
    return "https://waze.com/ul?" + urlencode({"q": address, "navigate": "yes"})


def route_url(addresses, origin=""):
    """One link for the whole round, in order: the maps app plans every stop."""
    stops = [a for a in addresses if a]
    if not stops:
        return ""
    params = {"api": 1, "destination": stops[-1], "travelmode": "driving"}
    if origin:
        params["origin"] = origin
    if len(stops) > 1:
        params["waypoints"] = "|".join(stops[:-1])
    return "https://www.google.com/maps/dir/?" + urlencode(params)


def mail_url(person):
    return mailto_url(person.email)


def mailto_url(address):
    """A link that opens the phone's mail app, writing to `address`."""
    return f"mailto:{address}" if address else ""


def tel_url(person):
    return f"tel:{person.phone.as_e164}" if has_number(person.phone) else ""


def whatsapp_url(person, text=""):
    """Open a WhatsApp chat with her, the message (if any) typed in, ready to send."""
    if not has_number(person.phone):
        return ""
    url = f"https://wa.me/{person.whatsapp_number}"
    return f"{url}?text={quote(text)}" if text else url


def sms_url(person, text=""):
    if not has_number(person.phone):
        return ""
    url = f"sms:{person.phone.as_e164}"
    return f"{url}?body={quote(text)}" if text else url


def mail_message_url(address, subject="", body=""):
    """A link that opens the phone's mail app with a message to `address` ready to send."""
    if not address:
        return ""
    params = {key: value for key, value in (("subject", subject), ("body", body)) if value}
    return f"mailto:{address}" + ("?" + urlencode(params, quote_via=quote) if params else "")
