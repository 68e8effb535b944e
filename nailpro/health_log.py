"""Reading health data is logged (DESIGN rule 4): any page showing it says so here.

The log itself (clients.models.AccessLog) lives in `clients`, above the core: the core sends
`health_data_shown`, and `clients` records it (clients.signals). Pages of any app call these.
"""

from django.dispatch import Signal

# Sent with `request` and `clients`: the clients whose health data the page showed.
health_data_shown = Signal()


def log_health_view(request, client):
    """Record that her health data was shown, to whom and on which page."""
    log_health_views(request, [client])


def log_health_views(request, clients):
    """Record, in one write, that the health data of each of these clients was shown."""
    clients = list({client.pk: client for client in clients}.values())
    if clients:
        health_data_shown.send(sender=None, request=request, clients=clients)
