"""The login backend: the logged-in user read on each request with her account and her plan."""

from django.contrib.auth import get_user_model
from django.db.models.expressions import RawSQL

from nailpro.auth import AccountBackend

from .models import Subscription


class PlanBackend(AccountBackend):
    """Her account's plan read in the same query as her user and account: the client limit
    (clients.context_processors) is asked on every page, for the menu."""

    def annotations(self):
        # Plain SQL subqueries: an ORM Subquery() costs more to build than the query takes.
        # One subscription per account at most (a unique constraint).
        subscription = (
            f"SELECT {{}} FROM {Subscription._meta.db_table} AS subscription"
            " WHERE subscription.account_id = {}.account_id"
        )
        users = get_user_model()._meta.db_table
        return {
            "subscription_plan": RawSQL(subscription.format("plan", users), ()),
            "subscription_status": RawSQL(subscription.format("status", users), ()),
        }

    def attach(self, user):
        if user.account is None:
            return
        # As billing.plans.subscription_of(): without a row, a Free plan.
        known = {"plan": user.subscription_plan, "status": user.subscription_status}
        user.account.plan_read = Subscription(
            account=user.account, **(known if user.subscription_plan else {})
        )
