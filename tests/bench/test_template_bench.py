"""What the client list's template costs and weighs: `make bench` prints the figures."""

import gzip
import statistics
import time

import pytest
from django.template.backends.django import Template
from django_scopes import scopes_disabled

from tests.factories import CategoryFactory, ClientFactory, make_pro

pytestmark = pytest.mark.django_db


def test_client_list_template_time_and_size(alice, alice_client, monkeypatch):
    with scopes_disabled():
        make_pro(alice.account)
        category = CategoryFactory(account=alice.account)
        ClientFactory.create_batch(
            60, account=alice.account, email="x@example.com", category=category
        )
    durations = []
    original = Template.render

    def timed_render(self, *args, **kwargs):
        start = time.process_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            if self.template.name == "clients/client_list.html":
                durations.append((time.process_time() - start) * 1000)

    monkeypatch.setattr(Template, "render", timed_render)
    for _ in range(5):  # warm the template and translation caches
        response = alice_client.get("/clients/")
    durations.clear()
    for _ in range(30):
        response = alice_client.get("/clients/")
        assert response.status_code == 200
    html = response.content
    print(
        f"client list (25 rows): template CPU median {statistics.median(durations):.1f} ms"
        f" · min {min(durations):.1f} ms · HTML {len(html):,} bytes"
        f" ({len(gzip.compress(html)):,} gzipped)"
        f" · {html.count(b'<svg')} <svg> · {html.count(b'<path')} <path>"
    )
