"""The login backend: the logged-in user read on each request with her account and her plan."""

from nailpro.auth import AccountBackend

from .models import Subscription


class PlanBackend(AccountBackend):
    """Her account's plan read in the same query as her user and account: the client limit
    (clients.context_processors) is asked on every page, for the menu."""

    def extra_columns(self, user_table):
        # One subscription per account at most (a unique constraint); the same column name.
        account = Subscription._meta.get_field("account").column
        subscription = (  # names from the models
            f"SELECT {{}} FROM {Subscription._meta.db_table} AS subscription"  # noqa: S608
            f" WHERE subscription.{account} = {user_table}.{account}"
        )
        return {
            "subscription_plan": subscription.format("plan"),
            "subscription_status": subscription.format("status"),
        }

    def attach(self, user):
        if user.account is None:
            return
        # As billing.plans.subscription_of(): without a row, a Free plan.
        known = {"plan": user.subscription_plan, "status": user.subscription_status}
        user.account.plan_read = Subscription(
            account=user.account, **(known if user.subscription_plan else {})
        )
