"""Names, not codes or ids, where a person reads (the code stays beside, muted, where it is a key):
the actor of a change ("cli:demo" -> 命令行：演示数据), a model label ("accounts.user" -> 用户) and
the records a change points at ("党组织 15019" -> the organization's name)."""

from __future__ import annotations

from django.apps import apps
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The `fupin` commands that write changes as the system (core.context.acting_as labels).
COMMANDS = {
    "demo": gettext_lazy("demo data"),
    "crosscheck": gettext_lazy("cross-check"),
    "import": gettext_lazy("import"),
    "export": gettext_lazy("export"),
    "regions": gettext_lazy("regions"),
    "createuser": gettext_lazy("create user"),
    "token": gettext_lazy("API token"),
}


def actor_name(actor: str) -> str:
    """A change's actor for people: a command label "cli:import households" reads
    命令行：导入 households; a user's label is shown as it is."""
    actor = actor or ""
    if not actor.startswith("cli:"):
        return actor
    command, _sep, rest = actor[4:].partition(" ")
    name = COMMANDS.get(command)
    shown = f"{name} {rest}".strip() if name is not None else actor[4:]
    return _("Command line: %(command)s") % {"command": shown}


def model_name(label: str) -> str:
    """"accounts.user" -> the model's verbose name (用户); an unknown label as it is."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label or ""
    return str(model._meta.verbose_name)


def named(name, key) -> str:
    """A name with its key muted beside it (HTML)."""
    return format_html('{} <span class="text-secondary small">{}</span>', name, key)


def related_names(model, snapshots, user) -> dict[tuple[str, object], str]:
    """{(attname, value): name} for the foreign keys and region codes in `snapshots` (dicts of
    attname -> value), read through the policy: a record the user may not see keeps its id."""
    from fupin.core import directory
    from fupin.core.policy import restrict

    if model is None:
        return {}
    wanted: dict[str, set] = {}
    for data in snapshots:
        for key, value in (data or {}).items():
            if value not in (None, "") and isinstance(value, (int, str)):
                wanted.setdefault(key, set()).add(value)
    names: dict[tuple[str, object], str] = {}
    for field in model._meta.concrete_fields:
        values = wanted.get(field.attname)
        if not values:
            continue
        if field.is_relation and field.related_model is not None:
            target = field.related_model
            # restrict() gives none() for a model the role may not view: the id stays.
            for obj in restrict(target._default_manager.filter(pk__in=values), user, "view"):
                names[(field.attname, obj.pk)] = str(obj)
        elif field.name == "region_code" or field.name.endswith("_region_code"):
            for code, found in directory.entries({str(v) for v in values}).items():
                names[(field.attname, code)] = found.name
    return names
