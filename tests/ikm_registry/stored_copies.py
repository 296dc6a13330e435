"""Shared steps of the tests of the products' stored copies of their business
(Product.kecamatan, Product.size_class): a migration's fill run by hand, and a small
seed_scale run."""

import sys
from importlib import import_module
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import connection


def run_fill(migration, function):
    """Call a migration's RunPython function on the current rows, as `migrate` would."""

    class SchemaEditor:
        pass

    editor = SchemaEditor()
    editor.connection = connection
    getattr(import_module(f"ikm_registry.migrations.{migration}"), function)(apps, editor)


def seed_function(*, ikm, products, batch):
    """scale.seed (the businesses and products of seed_scale), without progress bars."""
    from ikm_registry import scale

    def progress(label, total):
        return lambda n: None

    scale.seed(ikm=ikm, products=products, batch=batch, progress=progress)


def seed_small():
    """seed_scale with 6 businesses and 15 products (and a little of everything else)."""
    call_command(
        "seed_scale",
        *("--ikm", "6", "--products", "15", "--missions", "1", "--buyers", "2"),
        *("--deals", "2", "--events", "1", "--bookings", "1", "--batch", "5"),
        stdout=StringIO(),
        stderr=StringIO() if "pytest" in sys.modules else None,
    )
