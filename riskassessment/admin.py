"""What admins configure for the assessment: the catalogue of example factors, and the deadline
for sharing a signed assessment with the multi-agency meeting and who is chased when it is late."""

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import FactorCategory, SharingSettings
from .selectors import sharing_settings


class FactorCategoryForm(forms.ModelForm):
    class Meta:
        model = FactorCategory
        fields = ["kind", "name", "position", "is_active"]
        error_messages = {
            "kind": {"required": _("Select the type of factor")},
            "name": {"required": _("Enter the factor, for example 'Domestic abuse'")},
            "position": {
                "required": _("Enter its place in the list, for example 1"),
                "invalid": _("Enter its place in the list as a whole number, for example 1"),
            },
        }


class FactorCategoryRowForm(forms.ModelForm):
    """A row of the list: its boxes are named after the factor, as a column heading is no label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.instance.name
        self.fields["is_active"].widget.attrs["aria-label"] = gettext(
            "Offered on new assessments: %(factor)s"
        ) % {"factor": name}
        self.fields["position"].widget.attrs["aria-label"] = gettext("Order in the list: %(factor)s") % {
            "factor": name
        }
        # The list shows no help text, so the boxes must not point at one.
        self.fields["is_active"].help_text = ""


@admin.register(FactorCategory)
class FactorCategoryAdmin(SimpleHistoryAdmin):
    form = FactorCategoryForm
    list_display = ("name", "kind", "is_active", "position")
    list_filter = ("kind", "is_active")
    list_editable = ("is_active", "position")
    search_fields = ("name",)
    fieldsets = (
        (
            None,
            {
                "fields": ("kind", "name", "position", "is_active"),
                "description": _(
                    "Examples practitioners can pick when they record a factor on a Family Engagement "
                    "Risk Assessment. Protective factors go on the protective side; risk factors and "
                    "vulnerabilities on the risk side. To retire one, untick 'offered on new "
                    "assessments' rather than deleting it: assessments that used it keep it."
                ),
            },
        ),
    )

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", FactorCategoryRowForm)
        return super().get_changelist_form(request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Assessments point at these rows; retiring keeps their meaning.
        return False


class SharingSettingsForm(forms.ModelForm):
    class Meta:
        model = SharingSettings
        fields = ["share_deadline_days", "reminder_days_before", "escalate_after_days", "escalate_to_manager"]
        error_messages = {
            "share_deadline_days": {
                "required": _("Enter the number of working days to share a signed assessment"),
                "invalid": _("Enter the number of working days as a whole number, for example 5"),
            },
            "reminder_days_before": {
                "required": _(
                    "Enter the number of working days before the deadline to remind the lead practitioner"
                ),
                "invalid": _("Enter the number of working days as a whole number, for example 1"),
            },
            "escalate_after_days": {
                "required": _("Enter the number of working days a share may be late before the escalation"),
                "invalid": _("Enter the number of working days as a whole number, for example 1"),
            },
        }


@admin.register(SharingSettings)
class SharingSettingsAdmin(SimpleHistoryAdmin):
    """One row: the list goes straight to it, and it cannot be added or deleted."""

    form = SharingSettingsForm
    fieldsets = [
        (
            _("Deadline"),
            {
                "fields": ["share_deadline_days"],
                "description": _(
                    "When the line manager signs an assessment it is shared with the case's multi-agency "
                    "meeting members, who should have it within this many working days. Working days skip "
                    "weekends, bank holidays and service closure days."
                ),
            },
        ),
        (
            _("Reminders and escalation"),
            {
                "fields": ["reminder_days_before", "escalate_after_days", "escalate_to_manager"],
                "description": _(
                    "Who is chased when a member has not acknowledged the assessment, and when."
                ),
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        row = sharing_settings()
        return redirect(reverse("admin:riskassessment_sharingsettings_change", args=[row.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sharing_settings()  # the row exists even where the migration that makes it has not run
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
