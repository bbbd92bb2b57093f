"""Root URLconf: the public site, sign-in, the back office and each app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from kcsp import account_admin, action_views, two_factor, views
from kcsp.alerts import views as alert_views
from kcsp.search import views as search_views

admin.site.site_header = "Partnership back office"
admin.site.site_title = "Back office"
admin.site.index_title = "Back office"

# Signing up for e-mail alerts, and the signed links each alert carries.
alert_patterns: list[URLPattern] = [
    path("", alert_views.alert_new, name="alerts"),
    path("confirm/<str:token>/", alert_views.alert_confirm, name="alert_confirm"),
    path("manage/<str:token>/", alert_views.alert_manage, name="alert_manage"),
    path(
        "unsubscribe/<str:token>/",
        alert_views.alert_unsubscribe,
        name="alert_unsubscribe",
    ),
]

# Signing in and out, the second factor and one's password.
account_patterns: list[URLPattern] = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", two_factor.verify, name="two_factor"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/link/<str:token>/", two_factor.link, name="two_factor_link"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

kcsp_patterns: tuple[list[URLPattern | URLResolver], str] = (
    [
        path("", views.home, name="home"),
        path("start/", views.start, name="start"),
        path("accessibility/", views.accessibility, name="accessibility"),
        path("privacy/", views.privacy, name="privacy"),
        path("search/", search_views.search, name="search"),
        path("partnerships/", views.partnership_list, name="partnerships"),
        path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
        path(
            "partnerships/<slug:slug>/sitemap.xml",
            views.partnership_sitemap,
            name="partnership_sitemap",
        ),
        path(
            "partnerships/<slug:slug>/logo",
            views.partnership_logo,
            name="partnership_logo",
        ),
        path("alerts/", include(alert_patterns)),
        path("actions/", action_views.action_list, name="actions"),
        path("actions/overview/", action_views.action_overview, name="action_overview"),
        path("actions/<int:pk>/", action_views.action_detail, name="action"),
        path(
            "actions/evidence/<int:pk>/",
            action_views.evidence_download,
            name="action_evidence",
        ),
    ],
    "kcsp",
)

urlpatterns = [
    path("", include(kcsp_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("api/", include("kcsp.api.urls")),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("accounts/", include(account_patterns)),
    path(
        "admin/locked-sign-ins/",
        admin.site.admin_view(account_admin.locked_sign_ins),
        name="locked_sign_ins",
    ),
    path("admin/", admin.site.urls),
    path("", include("meetings.urls")),
    path("", include("agreement.urls")),
    path("", include("priorities.urls")),
    path("", include("dhr.urls")),
]
