"""The secrets of the links sent to clients (reply links, consent links): only their hash is
stored, so a leaked database opens no link."""

import hashlib


def token_hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
