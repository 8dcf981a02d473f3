"""Links printed on paper (QR codes) carry no language prefix."""

from django.urls import path, re_path

from courses.views import materials

CODE = r"(?P<code>[A-Za-z0-9]{4,12})"

urlpatterns = [
    re_path(rf"^q/{CODE}\.svg$", materials.short_link_svg, name="short_link_svg"),
    re_path(rf"^q/{CODE}\.png$", materials.short_link_png, name="short_link_png"),
    re_path(rf"^q/{CODE}/?$", materials.short_link, name="short_link"),
    path("materials/<int:pk>/image/", materials.material_image, name="material_image"),
]
