app_name = "poverty"

urlpatterns: list = []
