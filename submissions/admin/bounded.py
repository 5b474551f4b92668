"""Inline formsets with a small ceiling: a post claiming a million forms is refused after a few."""

INLINE_FORMS_MAX = 50


class BoundedInline:
    """Mixin for admin inlines: at most INLINE_FORMS_MAX forms, whatever TOTAL_FORMS says."""

    max_num = INLINE_FORMS_MAX

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", INLINE_FORMS_MAX)
        kwargs.setdefault("validate_max", True)
        return super().get_formset(request, obj, **kwargs)
