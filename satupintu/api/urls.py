from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("people", views.PersonViewSet, basename="person")

# Included after the other apps' API addresses (satupintu/urls.py): the last pattern answers the rest.
urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="openapi"), name="api-docs"),
    path("", include(router.urls)),
    re_path(r"^", views.not_found),
]
