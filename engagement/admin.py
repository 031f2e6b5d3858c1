"""What a council's system owner configures here: the wording of agreements and letters."""

from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models_documents import AgreementTemplate, LetterTemplate


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(SimpleHistoryAdmin):
    """Each new agreement copies the newest wording; agreements already started keep theirs."""

    list_display = ["name", "updated_at"]
    fields = ["name", "our_commitments", "family_commitments", "closing_words"]

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    """Each new letter copies this wording; letters already written keep theirs."""

    list_display = ["step", "subject", "updated_at"]
    fields = ["step", "subject", "body"]

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False
