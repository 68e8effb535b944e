"""The catalog's part of an account: her services and products, in the account's export
(registered in CatalogConfig.ready()). It holds nothing about her clients."""

from nailpro.privacy import PrivacyEntry


class CatalogPrivacy(PrivacyEntry):
    pass
