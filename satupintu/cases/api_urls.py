"""The catalogue's and the applications' API, under /api/v1/ beside the registry's (satupintu.api)."""

from django.urls import path

from . import api

urlpatterns = [
    path("services", api.ServiceListView.as_view(), name="services"),
    path("services/<str:code>/estimate", api.ServiceEstimateView.as_view(), name="service-estimate"),
    path("applications", api.ApplicationCreateView.as_view(), name="applications"),
    path("applications/<str:number>", api.ApplicationDetailView.as_view(), name="application-detail"),
    path(
        "applications/<str:number>/transitions", api.ApplicationTransitionView.as_view(), name="application-transition"
    ),
    path("queues", api.QueueListView.as_view(), name="queues"),
    path("queues/<str:name>", api.QueueItemsView.as_view(), name="queue-items"),
    path("track/<str:number>", api.TrackView.as_view(), name="track"),
]
