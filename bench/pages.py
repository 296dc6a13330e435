"""The key pages the benchmark loads (issue #9), with paths taken from the data in the database."""

from django.urls import reverse
from django.utils import timezone


def key_pages():
    from gerai.models import Event
    from ikm_registry.models import Desa, Product
    from missions.models import TradeMission

    now = timezone.localtime()
    product = Product.objects.public().order_by("pk").first()
    event = Event.objects.published().order_by("start").first()
    # The most recent mission with published results: a report with data in it.
    mission = TradeMission.objects.with_results().order_by("-end_date").first()
    kecamatan = Desa.objects.get(code="36.03.18.2004").kecamatan_id
    pages = [
        ("home", "/", "public", False),
        ("catalog", "/katalog/", "public", False),
        ("catalog search (typo 'rottan')", "/katalog/?q=rottan", "public", False),
        ("catalog search (two words, A-Z)", "/katalog/?q=kacang+mete&sort=name", "public", False),
        ("IKM directory by kecamatan", f"/ikm-direktori/?kecamatan={kecamatan}", "public", False),
        ("event calendar month", f"/gerai/acara/kalender/{now.year}/{now.month}/", "public", False),
        ("calendar feed (.ics)", "/gerai/kalender.ics", "public", False),
        ("program dashboard", reverse("missions:dashboard"), "dashboard", True),
        ("admin: businesses", "/admin/ikm_registry/business/", "admin", True),
        ("admin: deals", "/admin/missions/deal/", "admin", True),
    ]
    if product is not None:
        pages.insert(3, ("product page", f"/katalog/{product.slug}/", "public", False))
    if event is not None:
        pages.append(("event page", f"/gerai/acara/{event.slug}/", "public", False))
    if mission is not None:
        pages.append(("mission report", f"/misi-dagang/{mission.slug}/laporan/", "report", True))
    return pages
