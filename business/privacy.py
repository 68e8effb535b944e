"""The business's own rows: its exports, which are not exported again (registered in
BusinessConfig.ready())."""

from nailpro.privacy import PrivacyEntry


class BusinessPrivacy(PrivacyEntry):
    def account_models(self):
        return []  # an export inside the next export would only repeat it
