"""What staff may not do to a record in the admin (rule 12 in ARCHITECTURE.md).

Many records are written only by the app (consent answers, access logs, Stripe events): staff read
them to answer a support request and must not forge or rewrite them. Each mixin refuses one kind of
write; a model admin lists the ones it needs, before `admin.ModelAdmin`, and says why beside them.
"""


class NoAddAdminMixin:
    """Refuse adding: the app creates these rows itself."""

    # Inlines are asked with the parent object, model admins without it.
    def has_add_permission(self, request, obj=None):
        return False


class NoChangeAdminMixin:
    """Refuse changing: the row records what happened."""

    def has_change_permission(self, request, obj=None):
        return False


class NoDeleteAdminMixin:
    """Refuse deleting: the row goes only with what it belongs to."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin(NoAddAdminMixin, NoChangeAdminMixin, NoDeleteAdminMixin):
    """Let staff read the row and nothing else."""
