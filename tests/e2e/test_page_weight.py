"""Page weight (issue #9): every public page in tests/url_matrix.py, at 375 and 1280 px,
transfers at most 100 KB on first load, its CSS, JS, fonts and thumbnails counted, and
makes no request to another host.

The catalog is filled with photographic photos (texture at every scale, so they compress
as real product photos do, not as flat colour) made by the real pipeline
(images.process_photo, and services.add_photo for product A), so thumbnails are the sizes
and formats production makes. The measurement lives in bench/page_weight.py, which weighs
a running server the same way. The table is printed and saved as
test-artifacts/page-weight-phone.txt and page-weight-desktop.txt (one file per size). Both
sizes and the catalog's photo check run in one test, so the photo catalog is built once,
by one pytest-xdist process. In four parts (each size in two halves) both processes made
and processed the photos and each part built the catalog again: the parts' setups took
65 s against 29 s for the one test (make test, load average 12), while splitting the loop
itself bought nothing on one process (parts 140 and 131 s, one test 136 and 140 s). The
test is the first browser test handed out (LONG_FIRST in tests/conftest.py), so the other
process runs the rest meanwhile.
"""

import functools
import io
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import re_path
from django.views.static import serve
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from bench.page_weight import BUDGET, measure, table
from ikm_registry import images
from ikm_registry.models import ProductPhoto
from tangerang_ikm.urls import urlpatterns as portal_urlpatterns
from tests import url_matrix as m
from tests.e2e.conftest import SIZES

pytestmark = pytest.mark.e2e

PUBLIC = [r for r in m.ROUTES if r.public]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CATALOG_PRODUCTS = 26  # more than a catalog page (24 cards), all with photos
# Distinct photos the cards cycle through: each card still has its own files (its own
# URLs, so the browser fetches and counts every one), but making and processing a
# 1600x1200 photo costs about a second each, so 26 distinct ones cost 26 s per run.
DISTINCT_PHOTOS = 4
RESULTS = {}  # (route name, size) -> Weight, for the table
# Pages allowed over the budget for now: route name -> the reason, outside the thumbnails.
# Strict: a listed page back within the budget fails, so the entry goes.
KNOWN_HEAVY = {}


def _media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# Production serves /media/ from the web server; the live server only serves /static/.
urlpatterns = [*portal_urlpatterns, re_path(r"^media/(?P<path>.*)$", _media)]


@functools.cache
def photographic_jpeg(seed, size=(1600, 1200)):
    """A 1600x1200 camera-like JPEG: shapes on a gradient, with luminance texture at three
    scales and a little colour noise. Cut to 400x300 and saved as JPEG quality 85 it takes
    0.35 bytes a pixel, as real photos of a detailed object do (two of a circuit board:
    0.27 and 0.39); flat colour takes 0.01."""
    rnd = random.Random(seed)
    width, height = size

    def colour():
        return tuple(rnd.randrange(40, 220) for _ in range(3))

    mask = Image.linear_gradient("L").rotate(rnd.uniform(0, 360)).resize(size)
    image = Image.composite(
        Image.new("RGB", size, colour()), Image.new("RGB", size, colour()), mask
    )
    draw = ImageDraw.Draw(image)
    for _ in range(rnd.randint(3, 6)):
        x, y = rnd.randrange(width), rnd.randrange(height)
        w, h = rnd.randrange(width // 8, width // 2), rnd.randrange(height // 8, height // 2)
        box = (x - w // 2, y - h // 2, x + w // 2, y + h // 2)
        if rnd.random() < 0.5:
            draw.ellipse(box, fill=colour())
        else:
            draw.rounded_rectangle(box, radius=rnd.randrange(5, 80), fill=colour())
    image = image.filter(ImageFilter.GaussianBlur(2))
    grey = Image.new("RGB", size, (128, 128, 128))
    for scale, amount in ((16, 0.45), (4, 0.35), (1, 0.2)):
        small = (width // scale, height // scale)
        luma = Image.effect_noise(small, 60)
        noise = Image.merge("RGB", [luma, luma, luma])
        if scale > 1:
            chroma = Image.merge("RGB", [Image.effect_noise(small, 60) for _ in range(3)])
            noise = Image.blend(noise, chroma, 0.15)
        noise = noise.resize(size, Image.Resampling.BICUBIC)
        image = ImageChops.add(image, Image.blend(grey, noise, amount), 1.0, -128)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


@functools.cache
def processed_photo(seed):
    """Photo `seed` through the real pipeline (images.process_photo), made once a session."""
    processed = images.process_photo(SimpleUploadedFile("foto.jpg", photographic_jpeg(seed)))
    return processed.display.read(), processed.thumbnail.read(), processed.thumbnail.name


def add_photographic_photo(product, seed, position=0):
    """Stores processed_photo(seed) as services.add_photo does, without processing it again."""
    display, thumbnail, thumbnail_name = processed_photo(seed)
    photo = ProductPhoto(product=product, alt_text=f"Foto {product.name}", position=position)
    photo.image.save(f"{product.slug}.jpg", ContentFile(display), save=False)
    photo.thumbnail.save(
        f"{product.slug}{Path(thumbnail_name).suffix}", ContentFile(thumbnail), save=False
    )
    photo.save()
    return photo


@pytest.fixture
def photo_catalog(world, settings):
    """The world, with owner A's catalog full of photographed products and media served."""
    from ikm_registry import services
    from tests.factories import ProductFactory

    settings.ROOT_URLCONF = __name__
    # Product A's cover and its page's first photo, uploaded as its owner would, comes
    # before the world's tiny flat photo.
    upload = SimpleUploadedFile("foto.jpg", photographic_jpeg(0), "image/jpeg")
    cover = services.add_photo(product=world["product_a"], upload=upload, alt_text="Foto A")
    ProductPhoto.objects.filter(pk=world["photo_a"].pk).update(position=cover.position)
    ProductPhoto.objects.filter(pk=cover.pk).update(position=0)
    for n in range(1, CATALOG_PRODUCTS + 1):
        product = ProductFactory(
            business=world["business_a"], export_ready=n % 3 == 0, min_order=50
        )
        add_photographic_photo(product, seed=1 + n % DISTINCT_PHOTOS)
    return world


def write_report(size):
    rows = [(r.name, size, RESULTS[r.name, size]) for r in PUBLIC if (r.name, size) in RESULTS]
    text = table(rows)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"page-weight-{size}.txt").write_text(text + "\n")
    return text


@pytest.mark.django_db(transaction=True)
def test_public_pages_are_light_and_local(live_server, browser, photo_catalog):
    """Each page in a fresh context (nothing cached), at both sizes, in one test: the photo
    catalog is built once (building it per size cost more than weighing the pages)."""
    problems = []
    for size in SIZES:
        for route in PUBLIC:
            path = route.path(photo_catalog)
            context = browser.new_context(viewport=SIZES[size], locale="id-ID")
            context.set_default_timeout(15_000)
            try:
                weight = measure(context, live_server.url + path)
            finally:
                context.close()
            RESULTS[route.name, size] = weight
            problems += weight_problems(route, path, size, weight)
        print("\n" + write_report(size))
    problems += catalog_problems(browser, live_server)
    assert not problems, "\n".join(problems)


def weight_problems(route, path, size, weight):
    problems = []
    if not weight.fetches[0].content_type.startswith("text/html"):
        problems.append(f"{route.name} ({size}) is not HTML: {weight.fetches[0]}")
    if weight.foreign:
        problems.append(f"{route.name} ({size}) asks other hosts: {weight.foreign}")
    heavy = weight.total > BUDGET
    if heavy and route.name not in KNOWN_HEAVY:
        problems.append(
            f"{route.name} ({path}, {size}) is over {BUDGET / 1000:.0f} KB: "
            f"{weight.total / 1000:.1f} KB; heaviest: "
            + ", ".join(f"{f.url} {f.bytes / 1000:.1f} KB" for f in weight.heaviest())
        )
    elif not heavy and route.name in KNOWN_HEAVY:
        problems.append(f"{route.name} ({size}) is within budget now: drop it from KNOWN_HEAVY")
    return problems


def catalog_problems(browser, live_server):
    """The weights above count real thumbnails: the catalog's first page is 24 photo cards."""
    context = browser.new_context(viewport=SIZES["desktop"])
    try:
        page = context.new_page()
        page.goto(live_server.url + "/katalog/")
        photos = page.locator(".product-card img")
        cards = page.locator(".product-card").count()
        if not cards == photos.count() == 24:
            return [f"/katalog/: {cards} cards, {photos.count()} photos, not 24 of each"]
        first = photos.first
        first.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
        )
        natural = first.evaluate("img => [img.naturalWidth, img.naturalHeight]")
        if natural != [320, 240]:
            return [f"/katalog/: the first thumbnail is {natural}, not [320, 240]"]
        return []
    finally:
        context.close()
