"""Inline formsets with a small ceiling: a post claiming a million forms is refused after a few;
a tabular inline's controls carry their column's name (a table cell has no <label>)."""

from django.contrib.admin.options import TabularInline

INLINE_FORMS_MAX = 50


class BoundedInline:
    """Mixin for admin inlines: at most INLINE_FORMS_MAX forms, whatever TOTAL_FORMS says."""

    max_num = INLINE_FORMS_MAX

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", INLINE_FORMS_MAX)
        kwargs.setdefault("validate_max", True)
        formset = super().get_formset(request, obj, **kwargs)
        return labelled(formset) if isinstance(self, TabularInline) else formset


def labelled(formset):
    """The formset with an aria-label on every visible control of each row (its column's
    heading), so that screen readers and axe-core find a name for each (WCAG 4.1.2)."""

    class Labelled(formset):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            for name, field in form.fields.items():
                # A foreign key's select sits inside the admin's related-object wrapper: label the select itself.
                widget = getattr(field.widget, "widget", field.widget)
                if not widget.is_hidden:
                    widget.attrs.setdefault("aria-label", str(field.label or name))

    Labelled.__name__ = formset.__name__
    return Labelled
