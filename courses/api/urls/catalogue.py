from rest_framework.routers import SimpleRouter

from courses.api.catalogue import CourseViewSet, SessionViewSet

router = SimpleRouter()
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")

urlpatterns = router.urls
