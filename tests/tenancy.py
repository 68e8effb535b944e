"""The cross-account harness: walk every URL pattern and prove that one technician's ids
answer 404 to another technician, and that private pages send anonymous visitors to login.

Patterns are discovered from the URLconf, so a URL added later is covered without editing
this file. An object id in a URL is named after its model, `<uuid:client_id>` for Client,
so the harness knows which object to build; a pattern whose parameters it cannot map
fails loudly instead of being silently skipped.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from nailpro.models import AccountOwned

# URL names reachable without logging in, with what they answer to an anonymous GET.
PUBLIC_URL_NAMES = {
    "login",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "manifest",
    "service_worker",  # a static file served at the root (tests/agenda/test_offline.py)
    "offline",  # the offline page, kept on the phone without her session
    "logout",  # POST only; logging out when logged out is harmless
    "switch_language",  # POST only; a cookie for anonymous visitors
    "billing:webhook",  # Stripe's signed events (tests/billing/test_webhook.py)
    # Her public portfolio and its images, by address (tests/gallery/test_portfolio.py)
    "portfolio:page",
    "portfolio:image",
    "portfolio:photo",
    # Her appointment request form and its thanks (tests/gallery/test_booking_request.py)
    "portfolio:request",
    "portfolio:request_sent",
    # The consent form signed through a link (tests/clients/test_consent_link.py)
    "consent_remote",
    "consent_remote_done",
    "agenda:feed",  # the calendar feed, by its secret token (tests/agenda/test_feed.py)
    "reply:page",  # a reminder's reply link, by its secret (tests/agenda/test_reply_link.py)
}
# Parameters that are not object ids: secrets in public URLs, checked by their own tests.
PUBLIC_PARAMETERS = {
    "uidb64",
    "token",
    "slug",  # a portfolio's public address (tests/gallery/test_portfolio.py)
}


@dataclass
class Route:
    name: str
    parameters: list[str]

    def url(self, objects):
        return reverse(self.name, kwargs={p: objects[p].pk for p in self.parameters})


def routes(resolver=None, namespace="", inherited=()):
    """Yield every named URL pattern with the names of all its parameters."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        parameters = [*inherited, *_parameters(entry.pattern)]
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from routes(entry, inner, parameters)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                if namespace == "admin":
                    continue  # Django's own redirects, behind the admin's staff check
                raise AssertionError(f"URL pattern {entry.pattern} has no name: name it.")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name=name, parameters=parameters)


def _parameters(pattern):
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.regex.groupindex)


def owned_models():
    return {
        model._meta.model_name: model
        for model in apps.get_models()
        if issubclass(model, AccountOwned)
    }


def model_for(parameter, models=None):
    """Map `client_id` to the Client model; fail for a parameter that names no owned model."""
    models = owned_models() if models is None else models
    model_name = parameter.removesuffix("_id")
    if not parameter.endswith("_id") or model_name not in models:
        raise AssertionError(
            f"URL parameter '{parameter}' is not an object id the harness knows. Name it "
            f"<model>_id after an AccountOwned model, or list it in PUBLIC_PARAMETERS with "
            f"a test of its own."
        )
    return models[model_name]


class ObjectBuilder:
    """Build, for one account, the objects a URL's parameters point to.

    Objects are built from the last parameter to the first so that a child's parents are
    reused: for `/clients/<client_id>/visits/<visit_id>/` the client is the visit's own.
    """

    def __init__(self, factories, models=None):
        """`factories` maps each model to a callable taking `account=` and building one."""
        self.factories = factories
        self.models = models

    def build(self, account, parameters):
        objects = {}
        with scopes_disabled():
            for parameter in reversed(parameters):
                model = model_for(parameter, self.models)
                parent = self._from_built(objects.values(), model)
                objects[parameter] = parent or self._create(model, account)
        return objects

    def _from_built(self, built, model):
        for obj in built:
            for field in obj._meta.concrete_fields:
                if field.is_relation and field.related_model is model:
                    return getattr(obj, field.name)
        return None

    def _create(self, model, account):
        if model not in self.factories:
            raise AssertionError(
                f"No factory for {model.__name__}: add one to tests/factories.py so the "
                f"cross-account harness can build it."
            )
        factory = self.factories[model]
        if model._meta.model_name == "account":
            return account
        return factory(account=account)


def isolation_failures(client, user, other, route, builder):
    """Log in as `user` and list each way `route` lets her reach `other`'s objects.

    Every variant of the URL where one or all ids belong to the other account must answer
    404, to GET and to POST, unless the view refuses that method whatever the object (405
    on her own object too, so it tells nothing). The user must reach her own objects (not
    404): that proves the harness built URLs that lead somewhere, so the 404s are no accident.
    """
    own = builder.build(user.account, route.parameters)
    foreign = builder.build(other.account, route.parameters)
    failures = []
    client.force_login(user)

    own_url = route.url(own)
    own_status = {}
    for method in ("get", "post"):
        own_status[method] = getattr(client, method)(own_url).status_code
    if own_status["get"] == 404 or own_status["post"] == 404:
        failures.append(f"{own_url} answers 404 to its owner: the harness built a bad URL")

    # Her own requests may have locked the session in kiosk mode (the consent signing page),
    # where every other page redirects: a fresh session, as a fresh phone.
    client.logout()
    client.force_login(user)
    # Her own POST may have changed or deleted her objects: build them afresh.
    own = builder.build(user.account, route.parameters)
    variants = [{**own, parameter: foreign[parameter]} for parameter in route.parameters]
    if len(route.parameters) > 1:
        variants.append(foreign)
    for objects in variants:
        url = route.url(objects)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404 and not (status == 405 == own_status[method]):
                failures.append(f"{method.upper()} {url} answers {status}, not 404")
    return failures
