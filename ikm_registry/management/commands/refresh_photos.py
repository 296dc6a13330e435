"""Remake every product photo's medium size and thumbnail from its stored display size.

Photos uploaded before the medium size existed (or with the older 400 px JPEG
thumbnail) get the current sizes; run once after deploying, and again whenever
ikm_registry/images.py changes how they are made. The display size itself is kept.
"""

from django.core.management.base import BaseCommand

from ikm_registry.images import process_photo
from ikm_registry.models import ProductPhoto


class Command(BaseCommand):
    help = "Remake product photos' medium sizes and thumbnails from their display size."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="also photos that already have a medium size"
        )

    def handle(self, *args, all=False, verbosity=1, **options):
        photos = ProductPhoto.objects.order_by("pk")
        if not all:
            photos = photos.filter(medium="")
        done = 0
        for photo in photos.iterator(chunk_size=200):
            with photo.image.open("rb") as stored:
                processed = process_photo(stored, stem=photo.image.name.rsplit("/", 1)[-1][:-4])
            old = [photo.medium.name, photo.thumbnail.name]
            processed.display = None  # keep the stored display size as it is
            photo.store(processed)
            photo.save(update_fields=["medium", "thumbnail"])
            storage = photo.thumbnail.storage
            for name in old:
                if name and name not in {photo.medium.name, photo.thumbnail.name}:
                    storage.delete(name)
            done += 1
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{done} photos remade."))
