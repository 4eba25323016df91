from django import forms, template
from django.utils.translation import gettext_lazy as _

from fupin.core.forms import label_empty_choices

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with Tabler/Bootstrap classes and error state."""
    # Forms that are not ScopedModelForms (action forms) get a readable empty choice here.
    label_empty_choices(field.form, _("— choose —"))
    widget = field.field.widget
    if isinstance(widget, (forms.Select, forms.SelectMultiple)) and not isinstance(
            widget, forms.RadioSelect):
        css = "form-select"
    elif isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
        css = "form-check-input"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def actor_name(actor):
    """A change's actor for people (命令行：演示数据 for "cli:demo")."""
    from fupin.core.naming import actor_name as name

    return name(actor)


@register.filter
def model_name(label):
    """A model label ("accounts.user") as the model's name (用户)."""
    from fupin.core.naming import model_name as name

    return name(label)


@register.filter
def at(sequence, index):
    """sequence[index] in a template (the label of the n-th column of a row of cells)."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError, KeyError):
        return ""
