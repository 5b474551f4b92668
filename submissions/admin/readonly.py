"""Admin pages to read, not to edit: the outbox, reviews, mailbox entries. Their own actions and
views still act (through the domain functions); the admin's add, change and delete do not."""


class ReadOnlyAdmin:
    """Mix in before admin.ModelAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
