"""Import pages of the lists (导入): core cannot import fupin.ingest, which sits above every
domain app, so ingest registers here, from its `ready()`, the upload page of each registry by
its model; the generic list page shows an "Import" button for the models found here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from fupin.core.policy import can


@dataclass(frozen=True)
class ImportLink:
    label: str  # the registry's name for people (lazy translation)
    url_name: str


LINKS: dict[str, list[ImportLink]] = {}


def register(model_label: str, label, url_name: str) -> None:
    links = LINKS.setdefault(model_label.lower(), [])
    link = ImportLink(label, url_name)
    if link not in links:
        links.append(link)


def for_model(model, user) -> list[dict]:
    """The import pages of `model` that `user` may use: importing adds and changes records."""
    links = LINKS.get(model._meta.label_lower, ())
    if not links or not all(can(user, model, a) for a in ("add", "change")):
        return []
    found = []
    for link in links:
        try:
            found.append({"label": link.label, "url": reverse(link.url_name)})
        except NoReverseMatch:  # ingest's URLs not mounted (a test settings module)
            continue
    return found
