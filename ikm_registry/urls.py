from django.urls import path

from ikm_registry import views

app_name = "ikm_registry"

urlpatterns = [
    path("katalog/", views.catalog, name="catalog"),
]
