from django.apps import AppConfig


class BusinessConfig(AppConfig):
    """Her business as a whole: dashboard, account page, export, deletion, retention."""

    name = "business"

    def ready(self):
        from nailpro import maintenance, privacy

        from .account_export import account_exports_purge
        from .privacy import BusinessPrivacy
        from .tasks import exports_recover

        privacy.register(BusinessPrivacy(self.label))
        maintenance.register(account_exports_purge)  # first: what is purged is not resumed
        maintenance.register(exports_recover)
