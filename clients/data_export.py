"""A client's data, exported for her (GDPR Art. 15 and 20): everything her card shows, as JSON
with a documented schema (client_export_schema.json), her photos, and a readable summary.

Every app gives its part through the privacy registry (nailpro.privacy), so the export lives
with the client card and reads no app above it.
"""

import io
import json
import zipfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from nailpro import privacy

from .models import AccessLog

SCHEMA = Path(__file__).with_name("client_export_schema.json")
SCHEMA_VERSION = 1


def client_data(client):
    """Everything about her, as plain JSON-ready data: each app's sections (nailpro.privacy)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(),
        **privacy.client_sections(client),
    }


def client_export(client, user):
    """Build her ZIP (data.json, schema.json, summary.html, photos/, consents/) and log it."""
    data = client_data(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("schema.json", SCHEMA.read_text(encoding="utf-8"))
        with client.in_her_language():  # hers to read: in her language
            summary = render_to_string(
                "clients/export_summary.html",
                {"client": client, "data": data, "LANGUAGE_CODE": client.spoken_language},
            )
        archive.writestr("summary.html", summary)
        for name, stored in privacy.client_files(client):
            with stored.open("rb") as source:
                archive.writestr(name, source.read())
    AccessLog.record(client=client, user=user, action=AccessLog.Action.EXPORTED, where="export")
    return buffer.getvalue()
