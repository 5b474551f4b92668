from django.contrib import admin
from django.urls import include, path

from submissions.admin.site import configure_admin_site
from submissions.views.media import media

configure_admin_site(admin.site)

handler500 = "submissions.views.errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("media/<path:path>", media, name="media"),
    path("", include("submissions.urls")),
]
