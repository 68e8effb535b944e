"""Links to other apps on her phone are built in one place (nailpro.links), never by hand in
a template."""

import re
from pathlib import Path
from types import SimpleNamespace

from django.template import Context, Template
from phonenumber_field.phonenumber import PhoneNumber

from nailpro import links

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HAND_MADE = re.compile(r"maps\.google|google\.com/maps|wa\.me|waze\.com|\b(sms|tel|mailto):")


def person(phone="+33612345678", email="zoe@example.com"):
    number = PhoneNumber.from_string(phone) if phone else None
    return SimpleNamespace(phone=number, whatsapp_number="33612345678", email=email)


def test_no_template_builds_a_link_by_hand():
    hand_made = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAND_MADE.search(line)
    ]
    assert hand_made == []


def test_the_links():
    zoe = person()
    assert links.maps_url("12 rue des Lilas") == (
        "https://www.google.com/maps/search/?api=1&query=12%20rue%20des%20Lilas"
    )
    assert (
        links.waze_url("12 rue des Lilas") == "https://waze.com/ul?q=12+rue+des+Lilas&navigate=yes"
    )
    assert links.tel_url(zoe) == "tel:+33612345678"
    assert links.mail_url(zoe) == "mailto:zoe@example.com"
    assert links.whatsapp_url(zoe) == "https://wa.me/33612345678"
    assert links.whatsapp_url(zoe, "À demain") == "https://wa.me/33612345678?text=%C3%80%20demain"
    assert links.sms_url(zoe, "Bonjour") == "sms:+33612345678?body=Bonjour"


def test_no_phone_no_address_no_link():
    nobody = person(phone=None, email="")
    assert links.maps_url("") == links.waze_url("") == links.route_url([]) == ""
    assert links.tel_url(nobody) == links.mail_url(nobody) == ""
    assert links.whatsapp_url(nobody, "Bonjour") == links.sms_url(nobody) == ""


def test_the_template_filters():
    template = Template(
        "{% load nailpro %}{{ zoe|tel_url }} {{ zoe|sms_url }} {{ zoe|whatsapp_url }} "
        "{{ zoe|mail_url }} {{ address|maps_url }} {{ address|waze_url }}"
    )
    rendered = template.render(Context({"zoe": person(), "address": "1 rue A"}))
    assert rendered == (
        "tel:+33612345678 sms:+33612345678 https://wa.me/33612345678 mailto:zoe@example.com "
        "https://www.google.com/maps/search/?api=1&amp;query=1%20rue%20A "
        "https://waze.com/ul?q=1+rue+A&amp;navigate=yes"
    )
