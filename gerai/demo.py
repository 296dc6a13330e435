"""Demo data for the venue; called by `manage.py seed_demo`."""


def seed(*, owners, stdout):
    """Idempotent: running it twice changes nothing."""
