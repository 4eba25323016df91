"""The demo: a registry of per-app generators that `fupin demo` runs in order.

An app adds its generator in its own `demo.py`:

    @demo.generator("poverty", order=20)
    def households(ctx: demo.DemoContext) -> str: ...   # returns a one-line summary

Generators must be deterministic for a given seed (use ctx.rng / ctx.random(name)), calibrated
to ../shared/seed-figures.md at scale 1, and idempotent (a second run adds nothing).
"""

from __future__ import annotations

import importlib
import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps


@dataclass
class DemoContext:
    scale: float
    seed: int
    stdout: object
    users: dict = field(default_factory=dict)

    def random(self, name: str) -> random.Random:
        """A generator's own stream, so adding one generator never shifts another's data."""
        return random.Random(f"{self.seed}:{name}")

    def scaled(self, figure: float, floor: int = 0) -> int:
        return max(floor, round(figure * self.scale))


@dataclass(order=True)
class Generator:
    order: int
    name: str
    func: Callable = field(compare=False)


GENERATORS: dict[str, Generator] = {}


def generator(name: str, order: int = 100):
    def register(func):
        GENERATORS[name] = Generator(order, name, func)
        return func

    return register


def autodiscover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("fupin.") and importlib.util.find_spec(f"{config.name}.demo"):
            importlib.import_module(f"{config.name}.demo")


def ordered() -> list[Generator]:
    autodiscover()
    return sorted(GENERATORS.values())
