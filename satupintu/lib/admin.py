"""Admin pages of records written only by the application (documents, audit rows, the outbox):
shown, never added, changed or deleted by hand."""


class ReadOnlyAdmin:
    """A ModelAdmin mixin: no add, change or delete permission for anyone."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
