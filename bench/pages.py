"""The key pages the benchmark loads, with paths taken from the data in the database."""


def key_pages():
    from ikm_registry.models import Product

    product = Product.objects.public().order_by("pk").first()
    pages = [
        ("home", "/", "public", False),
        ("catalog", "/katalog/", "public", False),
    ]
    if product is not None:
        pages.append(("catalog search (typo)", "/katalog/?q=rottan", "public", False))
    return pages
