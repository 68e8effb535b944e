"""Reading health data is logged (rule 4 in ARCHITECTURE.md): any page showing it says so here.

The log itself (clients.models.AccessLog) lives in `clients`, above the core: each app's
privacy entry records what it keeps of it (nailpro.privacy, `health_data_shown`).
"""

from . import privacy


def log_health_view(request, client):
    """Record that her health data was shown, to whom and on which page."""
    log_health_views(request, [client])


def log_health_views(request, clients):
    """Record, in one write, that the health data of each of these clients was shown."""
    clients = list({client.pk: client for client in clients}.values())
    if clients:
        privacy.health_data_shown(request, clients)
