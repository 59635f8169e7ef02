from django.contrib import admin
from django.urls import include, path

from studies import views

urlpatterns = [
    path("", views.study_list, name="study-list"),
    path("health", views.health, name="health"),
    # django_prometheus.urls is the one route /metrics.
    path("", include("django_prometheus.urls")),
    path("admin/", admin.site.urls),
]
