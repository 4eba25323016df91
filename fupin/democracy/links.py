"""How the app root (councils, meetings, decisions, one-matter projects) and the openness
sub-area (disclosures, the public pages) refer to each other without importing each other.

- `MATTERS[label](pk)` -> the date a matter was decided (or None): a disclosure of a matter
  ("democracy.decision", "democracy.project") is due within N days of that date. The root fills
  it from its `ready()`; openness reads it when it computes a disclosure's due date.
- `disclosure_published` is sent by openness when a disclosure version of a matter is published
  (kwargs: disclosure, matter_label, matter_pk, user); the root completes the matter's
  disclosure step (四议两公开: disclosure of the resolution, of the result; one-matter accounts).

Sections of the public village page come through `fupin.core.panels` (page "public_village",
`func(village_code, user=None) -> dict | None`): what they show faces anonymous villagers and
holds no personal data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.dispatch import Signal

MATTERS: dict[str, Callable[[int], datetime.date | None]] = {}

disclosure_published = Signal()
