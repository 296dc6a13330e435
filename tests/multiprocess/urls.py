from django.urls import path

from tangerang_ikm.urls import urlpatterns as portal_urlpatterns
from tests.multiprocess import views

urlpatterns = [
    path("_proof/whoami/", views.whoami),
    path("_proof/upload/", views.upload),
    path("_proof/file/", views.public_file),
    path("_proof/private/", views.private_file),
    path("_proof/limited/", views.limited),
    path("_proof/mail/", views.queue_mail),
    *portal_urlpatterns,
]
