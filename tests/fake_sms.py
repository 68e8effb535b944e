"""A local stand-in for Twilio's Messages API, started by the test on a free port: the SMS
code talks real HTTP to it, and the test reads what arrived."""

import base64
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token"


class FakeTwilio:
    def __init__(self):
        self.received = []  # dicts: path, auth (sid, token), form fields
        self.status = 201
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                _scheme, _, encoded = self.headers.get("Authorization", "").partition(" ")
                sid, _, token = base64.b64decode(encoded).decode().partition(":")
                fake.received.append({"path": self.path, "auth": (sid, token), "form": form})
                sid = "SM" + uuid.uuid4().hex
                body = json.dumps(
                    {"sid": sid, "status": "queued"}
                    if fake.status < 300
                    else {"code": 21211, "message": "The 'To' number is not valid."}
                ).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def fake_twilio(settings):
    """Twilio configured against the local fake; yields it to read what it received."""
    fake = FakeTwilio()
    fake.thread.start()
    settings.TWILIO_API_URL = fake.url
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_FROM = "+33700000000"
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
