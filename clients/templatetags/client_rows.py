from django import template

from clients.rows import client_rows as make_rows

register = template.Library()


@register.filter
def client_rows(rows, kind=""):
    """{% for row in rows|client_rows:kind %}: each row worked out once (clients.rows)."""
    return make_rows(rows, kind)
