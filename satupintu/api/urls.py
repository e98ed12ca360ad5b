from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from satupintu.cases import api as cases_api

from . import views

router = DefaultRouter()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("people", views.PersonViewSet, basename="person")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="openapi"), name="api-docs"),
    path("services", cases_api.ServiceListView.as_view(), name="services"),
    path("services/<str:code>/estimate", cases_api.ServiceEstimateView.as_view(), name="service-estimate"),
    path("applications", cases_api.ApplicationCreateView.as_view(), name="applications"),
    path("applications/<str:number>", cases_api.ApplicationDetailView.as_view(), name="application-detail"),
    path(
        "applications/<str:number>/transitions",
        cases_api.ApplicationTransitionView.as_view(),
        name="application-transition",
    ),
    path("queues", cases_api.QueueListView.as_view(), name="queues"),
    path("queues/<str:name>", cases_api.QueueItemsView.as_view(), name="queue-items"),
    path("track/<str:number>", cases_api.TrackView.as_view(), name="track"),
    path("", include(router.urls)),
    re_path(r"^", views.not_found),
]
