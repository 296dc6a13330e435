from django.urls import path

from gerai import views

app_name = "gerai"

urlpatterns = [
    path("acara/", views.event_list, name="event_list"),
]
