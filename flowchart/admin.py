"""What a council system owner configures: pathways and their versions, days and reminders.

Changing a pathway: open its current version, choose "Make a new draft version" from the
actions list, change the draft's steps, then choose "Publish". New cases follow the published
draft from then on; families already in the flow chart keep the version they started on.
Published versions cannot be edited or deleted, so the record of what was asked stays true.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from engagement.models import AttemptKind, AttemptOutcome

from . import services
from .models import (
    Decision,
    Episode,
    FlowchartSettings,
    Notification,
    Pathway,
    PathwayVersion,
    Step,
    SweepDay,
)


class StepForm(forms.ModelForm):
    attempt_kinds = forms.MultipleChoiceField(
        label="Kinds of attempt that count",
        choices=AttemptKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only for steps done by contact attempts.",
    )
    attempt_outcomes = forms.MultipleChoiceField(
        label="Outcomes that count",
        choices=AttemptOutcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to count any outcome.",
    )

    class Meta:
        model = Step
        fields = [
            "order",
            "day",
            "timing",
            "title",
            "requirement",
            "attempt_kinds",
            "attempt_count",
            "attempt_outcomes",
            "responsible",
            "guidance",
        ]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        data = super().clean()
        if data.get("requirement") == "attempts" and not data.get("attempt_kinds"):
            self.add_error("attempt_kinds", "Tick at least one kind of attempt for a step done by attempts")
        return data


class StepInline(admin.StackedInline):
    model = Step
    form = StepForm
    extra = 0
    ordering = ["order"]

    def _draft(self, obj) -> bool:
        return obj is not None and not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


@admin.register(PathwayVersion)
class PathwayVersionAdmin(SimpleHistoryAdmin):
    list_display = ["pathway", "number", "state", "published_at", "families"]
    list_filter = ["pathway"]
    inlines = [StepInline]
    actions = ["make_draft", "publish"]
    fieldsets = [
        (
            None,
            {
                "fields": ["pathway", "number", "notes", "created_at", "published_at"],
                "description": (
                    "A published version cannot be changed. To change the steps, tick this version in "
                    "the list of pathway versions, choose 'Make a new draft version' from the actions, "
                    "edit the draft's steps here, then choose 'Publish'. New cases follow the newest "
                    "published version; families already in the flow chart keep theirs."
                ),
            },
        )
    ]
    readonly_fields = ["pathway", "number", "created_at", "published_at"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("pathway").annotate(family_count=Count("episodes"))
        )

    @admin.display(description="State")
    def state(self, obj):
        return "Published" if obj.is_published else "Draft: can be edited"

    @admin.display(description="Families on this version")
    def families(self, obj):
        return obj.family_count

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return [*self.readonly_fields, "notes"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # new versions come from "Make a new draft version"

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Make a new draft version from the selected version")
    def make_draft(self, request, queryset):
        for version in queryset:
            try:
                draft = services.pathway_version_draft(version=version, by=request.user)
            except services.FlowchartError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Draft version {draft.number} of {draft.pathway} made: change its steps, then publish it.",
                    messages.SUCCESS,
                )

    @admin.action(description="Publish the selected draft (new cases will follow it)")
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.pathway_version_publish(version=version, by=request.user)
            except services.FlowchartError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Version {version.number} of {version.pathway} is published. Families already in "
                    "the flow chart keep the version they started on.",
                    messages.SUCCESS,
                )


class VersionInline(admin.TabularInline):
    model = PathwayVersion
    fields = ["number", "published_at", "notes"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pathway)
class PathwayAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "is_default"]
    fields = ["name", "code", "description", "is_default"]
    inlines = [VersionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.versions.exists():
            # A new pathway starts with an empty draft to add its steps to.
            PathwayVersion.objects.create(pathway=obj, number=1, notes="First version")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FlowchartSettings)
class FlowchartSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return not FlowchartSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records made by practitioners and managers: admins may look, never change."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Episode)
class EpisodeAdmin(ReadOnlyAdmin):
    list_display = ["case", "version", "day1", "next_due_on", "ended_on", "end_reason"]
    list_filter = ["end_reason", "version__pathway"]
    list_select_related = ["case", "version__pathway"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["episode", "outcome", "decided_by", "decided_at", "review_on"]
    list_select_related = ["episode__case", "episode__version__pathway", "decided_by"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipient", "created_at", "emailed_at", "read_at"]
    list_filter = ["kind", "is_escalation"]
    list_select_related = ["recipient"]


@admin.register(SweepDay)
class SweepDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "completed_at", "recorded"]
