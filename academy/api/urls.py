from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("funding-projects", views.FundingProjectViewSet, basename="funding-project")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/signup/", views.SignupView.as_view(), name="api-signup"),
    path("me/", views.MeView.as_view(), name="api-me"),
    *router.urls,
]
