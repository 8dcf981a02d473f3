from django.urls import path

from courses.views import materials

urlpatterns = [
    path("sessions/<int:session_id>/materials/", materials.session_pack, name="session_materials"),
    path("sessions/<int:session_id>/handout/", materials.handout, name="session_handout"),
    path("sessions/<int:session_id>/handout.pdf", materials.handout_pdf, name="session_handout_pdf"),
]
