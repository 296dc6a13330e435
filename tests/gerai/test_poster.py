"""Event posters: a display size as AVIF with a JPEG fallback, made when the poster is
saved, shown in a <picture> with width and height (issue #22)."""

import io
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from gerai.models import Event
from tests.gerai.factories import EventFactory

pytestmark = pytest.mark.django_db


def png(width, height, colour="navy"):
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="poster.png")


def opened(field):
    with field.open("rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


def test_saving_a_poster_stores_an_avif_and_a_jpeg_at_most_1200_px_wide():
    event = EventFactory()
    event.poster.save("besar.png", png(2400, 3000), save=True)
    event.refresh_from_db()
    assert (event.poster_width, event.poster_height) == (2400, 3000)  # the upload, as it was
    assert (event.poster_display_width, event.poster_display_height) == (1200, 1500)
    avif, jpeg = opened(event.poster_avif), opened(event.poster_display)
    assert (avif.format, avif.size) == ("AVIF", (1200, 1500))
    assert (jpeg.format, jpeg.size) == ("JPEG", (1200, 1500))
    assert event.poster_avif.name.endswith(".avif")
    assert event.poster_display.name.endswith(".jpg")


def test_a_small_poster_keeps_its_size_and_a_new_instance_with_a_poster_gets_renditions():
    event = EventFactory.build()
    event.poster.save("kecil.png", png(600, 800), save=False)  # as gerai/demo.py does
    event.save()
    event = Event.objects.get(pk=event.pk)
    assert (event.poster_display_width, event.poster_display_height) == (600, 800)
    assert opened(event.poster_avif).format == "AVIF"


def test_replacing_the_poster_remakes_the_renditions_and_removes_the_old_ones(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    event.poster.save("satu.png", png(800, 1000), save=True)
    old = [event.poster_avif.name, event.poster_display.name]
    event = Event.objects.get(pk=event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        event.poster.save("dua.png", png(1000, 500), save=True)
    event.refresh_from_db()
    assert (event.poster_display_width, event.poster_display_height) == (1000, 500)
    assert event.poster_avif.name not in old
    assert not any(default_storage.exists(name) for name in old)
    assert default_storage.exists(event.poster_avif.name)


def test_saving_other_fields_does_not_remake_the_renditions():
    event = EventFactory()
    event.poster.save("satu.png", png(400, 400), save=True)
    event = Event.objects.get(pk=event.pk)
    name = event.poster_avif.name
    event.organiser = "Panitia Baru"
    event.save()
    event.refresh_from_db()
    assert event.poster_avif.name == name


def test_clearing_the_poster_clears_the_renditions():
    event = EventFactory()
    event.poster.save("satu.png", png(400, 400), save=True)
    event = Event.objects.get(pk=event.pk)
    event.poster = ""
    event.save()
    event.refresh_from_db()
    assert not event.poster_avif and not event.poster_display
    assert event.poster_display_width is None


def test_event_page_shows_the_poster_as_a_picture_with_avif_and_a_sized_jpeg(client):
    event = EventFactory(poster_alt="Poster bazar rotan")
    event.poster.save("besar.png", png(1600, 2000), save=True)
    content = client.get(event.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="event-poster">(.*?)</figure>', content, re.S).group(1)
    assert re.fullmatch(
        r'<picture><source srcset="/media/gerai/posters/display/[\w-]+\.avif" type="image/avif">'
        r'<img src="/media/gerai/posters/display/[\w-]+\.jpg" alt="Poster bazar rotan" '
        r'width="1200" height="1500" decoding="async"></picture>',
        figure,
    ), figure
    assert 'loading="lazy"' not in figure  # within the first screen on a phone


def test_event_page_without_renditions_shows_the_poster_as_uploaded(client):
    event = EventFactory(poster_alt="Poster lama")
    event.poster.save("lama.png", png(300, 400), save=True)
    Event.objects.filter(pk=event.pk).update(
        poster_avif="", poster_display="", poster_display_width=None, poster_display_height=None
    )
    content = client.get(event.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="event-poster">(.*?)</figure>', content, re.S).group(1)
    assert "<picture>" not in figure
    assert re.fullmatch(
        r'<img src="/media/gerai/posters/lama\w*\.png" alt="Poster lama" width="300" '
        r'height="400" decoding="async">',
        figure,
    ), figure


def test_an_unreadable_poster_gets_no_renditions_and_still_shows(client):
    event = EventFactory()
    event.poster.save("rusak.png", ContentFile(b"not an image"), save=True)
    event.refresh_from_db()
    assert not event.poster_avif
    content = client.get(event.get_absolute_url()).content.decode()
    assert re.search(r'<img src="/media/gerai/posters/rusak\w*\.png"', content)


def test_json_ld_image_stays_the_poster_as_uploaded(client):
    event = EventFactory()
    event.poster.save("besar.png", png(1600, 2000), save=True)
    content = client.get(event.get_absolute_url()).content.decode()
    ld = content.split('application/ld+json">')[1].split("</script>")[0]
    assert re.search(r"/media/gerai/posters/besar\w*\.png", ld)
    assert ".avif" not in ld


def test_command_fills_posters_stored_before_the_renditions():
    event = EventFactory()
    event.poster.save("lama.png", png(1300, 1300), save=True)
    Event.objects.filter(pk=event.pk).update(poster_avif="", poster_display="")
    out = io.StringIO()
    call_command("poster_renditions", stdout=out)
    event.refresh_from_db()
    assert (event.poster_display_width, event.poster_display_height) == (1200, 1200)
    assert opened(event.poster_avif).format == "AVIF"
    assert "1 posters made." in out.getvalue()


def test_demo_posters_get_renditions():
    call_command("seed_demo", stdout=io.StringIO())
    with_poster = Event.objects.exclude(poster="")
    assert with_poster.exists()
    for event in with_poster:
        assert opened(event.poster_avif).format == "AVIF"
        assert opened(event.poster_display).format == "JPEG"


def test_a_print_size_poster_over_10_mb_still_gets_renditions():
    buffer = io.BytesIO()
    noise = Image.frombytes("RGB", (2000, 2000), os.urandom(2000 * 2000 * 3))
    noise.save(buffer, "PNG", compress_level=1)
    assert buffer.tell() > 10 * 1024 * 1024  # over the product photos' limit
    event = EventFactory()
    event.poster.save("cetak.png", ContentFile(buffer.getvalue()), save=True)
    event.refresh_from_db()
    assert (event.poster_display_width, event.poster_display_height) == (1200, 1200)


def test_a_poster_assigned_as_the_admin_form_does_gets_renditions():
    event = Event.objects.get(pk=EventFactory().pk)
    event.poster = png(900, 600)  # not yet in storage: the model's save stores it
    event.save()
    event.refresh_from_db()
    assert (event.poster_display_width, event.poster_display_height) == (900, 600)
    assert opened(event.poster_display).format == "JPEG"
