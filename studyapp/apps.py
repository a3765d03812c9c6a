from django.apps import AppConfig


class StudyappConfig(AppConfig):
    name = "studyapp"
    verbose_name = "Accounts and site"

    def ready(self) -> None:
        from studyapp import freshness

        freshness.connect()
