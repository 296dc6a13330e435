from django.conf import settings


def portal(request):
    """Values every page's header and footer need."""
    return {"OFFICE_EMAIL": settings.OFFICE_EMAIL, "SITE_URL": settings.SITE_URL}
