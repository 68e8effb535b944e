"""Encryption at rest of special-category data (rule 4 in ARCHITECTURE.md).

Values are encrypted with the first key of FIELD_ENCRYPTION_KEYS and decrypted with any of
them (cryptography's MultiFernet), so keys can be rotated: put the new key first, run
`manage.py reencrypt_health_data`, then drop the old one.
"""

import functools
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@functools.cache
def _fernet(keys):
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error


def fernet():
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set: health data cannot be stored."
        )
    return _fernet(keys)


def encrypt(text):
    if not text:
        return ""
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(value):
    """Decrypt a stored value; a value stored before encryption comes back as it is."""
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Health data was encrypted with a key missing from FIELD_ENCRYPTION_KEYS."
        ) from error


class EncryptedTextField(models.TextField):
    """Text stored encrypted; the application reads and writes plain text."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def to_python(self, value):
        return decrypt(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        return encrypt(super().get_prep_value(value))


class EncryptedJSONField(models.TextField):
    """A JSON list or object stored encrypted; empty, it reads back as its default ([] or {})."""

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list | dict):
            return value
        text = decrypt(value or "")
        return json.loads(text) if text else self._empty()

    def _empty(self):
        return self.get_default() if self.has_default() else []

    def get_prep_value(self, value):
        return encrypt(json.dumps(value or [], ensure_ascii=False)) if value else ""

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))
