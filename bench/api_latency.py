"""Latency of the public API's endpoints over a long tail of distinct requests.

Each request is a different URL (random filters, search words from the catalog's own
vocabulary, cursor pages, detail pages), asked once, in-process through Django's test
client in production mode: the view's cost with nothing cached for it, without the
network and gunicorn. Prints p50/p95/max per group of endpoints.

    createdb -h 127.0.0.1 -U postgres tangerang_ikm_api_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tangerang_ikm_api_bench DEBUG=true \
        .venv/bin/python manage.py migrate
    DATABASE_URL=... DEBUG=true .venv/bin/python manage.py seed_scale   # regency scale
    DATABASE_URL=... .venv/bin/python bench/api_latency.py --requests 200

Not part of the test suite. bench/run.py --long-tail is the headline benchmark; this
script gives the API's own figures until the API joins its mixes.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 23


def setup():
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("API_RATE_LIMIT", "100000000")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tangerang_ikm.settings"
    import django

    django.setup()


def urls(rng, n):
    from gerai.models import Event
    from ikm_registry.models import Business, Certificate, Commodity, Kecamatan, Product, SearchTerm
    from missions.models import TradeMission

    commodities = list(Commodity.objects.values_list("slug", flat=True))
    kecamatan = list(Kecamatan.objects.values_list("code", flat=True))
    words = list(
        SearchTerm.objects.filter(word__regex=r"^[a-z]{4,12}$")
        .order_by("word")
        .values_list("word", flat=True)
    )
    words = rng.sample(words, min(400, len(words)))

    def filters():
        params = []
        roll = rng.random()
        if roll < 0.3:
            params.append(f"commodity={rng.choice(commodities)}")
        if rng.random() < 0.3:
            params.append(f"kecamatan={rng.choice(kecamatan)}")
        if rng.random() < 0.15:
            params.append(f"certificate={rng.choice(Certificate.Kind.values)}")
        if rng.random() < 0.15:
            params.append(f"size={rng.choice(['mikro', 'kecil', 'menengah'])}")
        if rng.random() < 0.2:
            params.append("export_ready=true")
        if rng.random() < 0.25:
            params.append("lang=en")
        if rng.random() < 0.2:
            params.append("sort=newest")
        return params

    groups = {"products": [], "businesses": [], "search": [], "detail": [], "other": []}
    for _ in range(n):
        groups["products"].append("/api/v1/products/?" + "&".join(filters()))
        groups["businesses"].append("/api/v1/businesses/?" + "&".join(filters()))
        q = rng.choice(words) if rng.random() < 0.6 else f"{rng.choice(words)}+{rng.choice(words)}"
        kind = rng.choice(["products", "businesses"])
        groups["search"].append(f"/api/v1/{kind}/?q={q}&" + "&".join(filters()[:1]))
    products = list(Product.objects.public().order_by("?").values_list("slug", flat=True)[:n])
    businesses = list(Business.objects.verified().order_by("?").values_list("slug", flat=True)[:n])
    groups["detail"] = [f"/api/v1/products/{s}/" for s in products[: n // 2]] + [
        f"/api/v1/businesses/{s}/" for s in businesses[: n // 2]
    ]
    events = list(Event.objects.published().order_by("?").values_list("slug", flat=True)[:n])
    missions = list(TradeMission.objects.public().values_list("slug", flat=True)[:50])
    for _ in range(n):
        roll = rng.random()
        if roll < 0.4:
            month = rng.randint(1, 12)
            groups["other"].append(
                f"/api/v1/events/?from=2026-{month:02d}-01&to=2026-{month:02d}-28"
            )
        elif roll < 0.6 and events:
            groups["other"].append(f"/api/v1/events/{rng.choice(events)}/")
        elif roll < 0.8:
            groups["other"].append(f"/api/v1/missions/?commodity={rng.choice(commodities)}")
        elif missions:
            groups["other"].append(f"/api/v1/missions/{rng.choice(missions)}/")
    return groups


def measure(client, url_list, *, follow_pages=False):
    times = []
    for url in url_list:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 404), (url, response.status_code)
        if follow_pages and response.status_code == 200:
            next_url = response.json().get("next")
            if next_url:  # a second page through its cursor
                started = time.perf_counter()
                assert client.get(next_url).status_code == 200
                times.append((time.perf_counter() - started) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="per group")
    args = parser.parse_args()
    setup()
    from django.test import Client

    client = Client()
    groups = urls(random.Random(SEED), args.requests)
    client.get("/api/v1/kecamatan/")  # warm the process (imports, caches of choices)
    print(f"{'group':<12} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, url_list in groups.items():
        times = measure(client, url_list, follow_pages=name in ("products", "businesses"))
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{name:<12} {len(times):>5} {statistics.median(times):>8.1f} {p95:>8.1f}"
            f" {times[-1]:>8.1f}"
        )


if __name__ == "__main__":
    main()
