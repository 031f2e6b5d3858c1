"""What admins configure for the assessment: the catalogue of example factors."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FactorCategory


@admin.register(FactorCategory)
class FactorCategoryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "is_active", "position")
    list_filter = ("kind", "is_active")
    list_editable = ("is_active", "position")
    search_fields = ("name",)
    fieldsets = (
        (
            None,
            {
                "fields": ("kind", "name", "position", "is_active"),
                "description": (
                    "Examples practitioners can pick when they record a factor on a Family Engagement "
                    "Risk Assessment. Protective factors go on the protective side; risk factors and "
                    "vulnerabilities on the risk side. To retire one, untick 'offered on new "
                    "assessments' rather than deleting it: assessments that used it keep it."
                ),
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # Assessments point at these rows; retiring keeps their meaning.
        return False
