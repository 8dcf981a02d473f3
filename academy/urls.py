from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_page
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from academy.accounts import telegram as telegram_views
from academy.accounts import views as views_accounts
from academy.front_cache import front_cached
from academy.views import robots_txt
from cms.sitemaps import AllLanguagesSitemap

# Wagtail's own URLs, its page view behind the front cache (academy/front_cache.py).
wagtail_patterns = [pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"] + [
    re_path(wagtail_urls.serve_pattern, front_cached(wagtail_views.serve), name="wagtail_serve"),
]

api_patterns = [
    path("", include("academy.api.urls")),
    path("", include("courses.api.urls")),
    path("", include("certificates.api.urls")),
    path("", include("reports.api.urls")),
]

urlpatterns = [
    # Wagtail's password reset link page, under the sign-in limits (academy/accounts/views.py); unnamed, so
    # Wagtail's own name still reverses to this same address.
    path("admin/password_reset/confirm/<uidb64>/<token>/", views_accounts.admin_password_reset_confirm),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the CSP allows no inline script without a nonce.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("telegram/webhook/", telegram_views.webhook, name="telegram_webhook"),
    path("", include("courses.urls.unprefixed")),
    path("", include("certificates.urls_unprefixed")),
    # Every language's public pages; rebuilt at most every 15 minutes (a crawler, not a person, reads it).
    path("sitemap.xml", cache_page(15 * 60)(sitemap), {"sitemaps": {"pages": AllLanguagesSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("academy.accounts.urls")),
    path("", include("courses.urls")),
    path("", include("certificates.urls")),
    path("", include("reports.urls")),
    path("", include("cms.search.urls")),
    path("", include(wagtail_patterns)),
    prefix_default_language=True,
)

handler403 = "academy.views.permission_denied"
handler404 = "academy.views.page_not_found"
handler500 = "academy.views.server_error"
