"""The site's URLs plus the bare view, which exists only under scripts.bench.settings."""

from django.urls import path

from scripts.bench import views
from studyapp.urls import handler400, handler403, handler404, handler500  # noqa: F401
from studyapp.urls import urlpatterns as site_urls

urlpatterns = [path("bench/bare/", views.bare, name="bench-bare"), *site_urls]
