"""Admin pages to read, not to edit: the outbox, reviews, mailbox entries. Their own actions and
views still act (through the domain functions); the admin's add, change and delete do not."""

from django.contrib import admin


class ReadOnlyAdmin:
    """Mix in before admin.ModelAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    """A workflow machine's history (its Step rows) under the object: read only, with who moved it.
    A subclass names the model; one whose steps show labels rather than statuses sets its own fields."""

    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "actor_role", "message", "via"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
