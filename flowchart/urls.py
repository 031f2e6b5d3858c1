app_name = "flowchart"
urlpatterns: list = []
