"""The error summary at the top of a refused entry form: one link per field that needs attention,
in the order of the page, each pointing at the field's id (templates/calls/_form.html; with
JavaScript, static/js/submit.js moves focus to the field).

The order comes from forms/entry.PAGE; sections and photos in the order the page shows them
(their ORDER field, as submit.js sorts them), deleted ones left out.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from submissions.intake.forms import messages
from submissions.intake.forms.entry import PAGE_ORDER, PHOTOS, SECTIONS


@dataclass(frozen=True)
class Problem:
    target: str  # the id of the element the link leads to (a field, or a part's error box)
    text: str


def field_id(bound):
    """The id a link can move focus to: the input itself, or the first choice of a radio list."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def _text(label, errors):
    """The field's messages; led by its name unless the first message already says it."""
    joined = " ".join(str(error) for error in errors)
    label = str(label)
    return joined if label in joined else _("%(field)s：%(message)s") % {"field": label, "message": joined}


def _field_problem(form, name):
    bound = form[name]
    if bound.is_hidden:
        return []  # no place on the page to go to (its message is shown with the form's own)
    return [Problem(field_id(bound), _text(messages.NAMES.get(name, bound.label), form.errors[name]))]


def _shown_forms(formset):
    """The formset's items as the page shows them: by their ORDER (else last, by index), not deleted."""
    shown = []
    for index, form in enumerate(formset.forms):
        if formset.can_delete and formset._should_delete_form(form):
            continue
        raw = form["ORDER"].value() if "ORDER" in form.fields else None
        try:
            order = int(raw)
        except (TypeError, ValueError):
            order = 1000 + index
        shown.append((order, index, form))
    return [form for _order, _index, form in sorted(shown, key=lambda item: item[:2])]


def _part_problems(formset, *, box_label, item_label, fields, hidden_to):
    problems = []
    if formset.non_form_errors():
        problems.append(Problem(f"{formset.prefix}-errors", _text(box_label, formset.non_form_errors())))
    for number, form in enumerate(_shown_forms(formset), start=1):
        if not form.errors:
            continue
        lead = item_label % {"n": number}
        for name in fields:
            errors = list(form.errors.get(name, []))
            if name == hidden_to[1]:
                errors = list(form.errors.get(hidden_to[0], [])) + errors
            if name == fields[0]:
                errors = list(form.non_field_errors()) + errors
            if errors:
                label = messages.NAMES.get(name, name)
                problems.append(Problem(field_id(form[name]), f"{lead}{_text(label, errors)}"))
    return problems


def problems(bundle):
    """[Problem] of a refused page, in page order (empty when the page was not posted)."""
    if bundle.data is None:
        return []
    found = []
    for name in PAGE_ORDER:
        if name == SECTIONS:
            found += _part_problems(
                bundle.sections,
                box_label=_("做法章节"),
                item_label=_("第 %(n)d 个章节，"),
                fields=("heading", "body"),
                hidden_to=("", ""),
            )
        elif name == PHOTOS:
            found += _part_problems(
                bundle.photos,
                box_label=_("图片"),
                item_label=_("第 %(n)d 张图片，"),
                fields=("image", "caption", "section"),
                hidden_to=("key", "image"),
            )
        elif name in bundle.form.errors and name in bundle.form.fields:
            found += _field_problem(bundle.form, name)
    return found
