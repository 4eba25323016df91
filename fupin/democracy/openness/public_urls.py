"""The public village pages: no login, no personal data."""

app_name = "public"

urlpatterns: list = []
