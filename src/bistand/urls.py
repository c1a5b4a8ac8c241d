"""The site's URLs, one include per part of the system."""

from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("bistand.core.urls")),
    path("", include("bistand.identity.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("apply/", include("bistand.intake.urls")),
    path("my/", include("bistand.portal.urls")),
    path("casework/", include("bistand.casework.urls")),
    path("api/", include("bistand.api.urls")),
    path("finance/", include("bistand.payments.urls")),
    path("", include("bistand.oversight.urls")),
    path("", include("bistand.audit.urls")),
    path("", include("bistand.security.urls")),
]
