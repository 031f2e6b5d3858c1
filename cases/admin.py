"""What a council's system owner configures: users and roles, teams, agencies.

A user's role decides what they may do: only admins open these configuration screens, so the
role sets that access too. Nobody is deleted (their name is on case records): untick "Active".
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from . import selectors, services
from .models import (
    AccessLogEntry,
    Agency,
    DisposalRecord,
    Document,
    Notification,
    Role,
    Team,
    User,
)

USER_MESSAGES = {
    "email": {
        "required": "Enter their work email address",
        "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        "unique": "Someone already uses this email address: find them in the list of users instead",
    },
    "full_name": {"required": "Enter their full name"},
    "role": {"required": "Select their role"},
    "team": {"invalid_choice": "Select a team from the list"},
    "agency": {"invalid_choice": "Select an agency from the list"},
}


class UserRulesMixin:
    """Checks shared by the add and change forms, so a role always fits the team and agency."""

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter their full name")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        user = self.instance
        already = set(self.errors)  # a field already in error needs no second message
        for field, message in services.user_change_problems(
            user=user,
            role=data.get("role"),
            team=data.get("team"),
            agency=data.get("agency"),
            is_active=data.get("is_active", user.is_active),
            changed_by_id=getattr(self, "request_user_id", None),
        ):
            if field not in already:
                self.add_error(field, message)
        return data


class UserChangeAdminForm(UserRulesMixin, UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "role", "team", "agency", "is_active"]
        error_messages = USER_MESSAGES


class UserAddForm(UserRulesMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "role", "team", "agency"]
        error_messages = USER_MESSAGES


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    form = UserChangeAdminForm
    add_form = UserAddForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "team", "agency", "is_active"]
    list_filter = ["role", "team", "agency", "is_active"]
    list_select_related = ["team", "agency"]
    search_fields = ["full_name", "email", "job_title"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Who they are",
            {
                "fields": ["full_name", "job_title", "role", "team", "agency"],
                "description": (
                    "Lead practitioners and line managers need a team; multi-agency meeting members need "
                    "an agency. An allocated social worker sees only the cases the case team allocates "
                    "them to, and on those only the signed assessments, the decisions, the partners' "
                    "reports and hostile incidents. Only admins can open these configuration screens."
                ),
            },
        ),
        (
            "Access",
            {
                "fields": ["is_active", "last_login", "date_joined"],
                "description": (
                    "Untick 'Active' when someone leaves: they can no longer sign in, and their name stays "
                    "on the records they made."
                ),
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "full_name",
                    "job_title",
                    "role",
                    "team",
                    "agency",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class WithRequestUser(form):
            request_user_id = request.user.pk

        return WithRequestUser

    def save_model(self, request, obj, form, change):
        services.user_save(user=obj, by=request.user)
        if change and "is_active" in form.changed_data and not obj.is_active:
            open_cases = selectors.open_cases_led_count(obj)
            if open_cases:
                messages.warning(
                    request,
                    f"{obj} can no longer sign in. They lead {open_cases} open case"
                    f"{'s' if open_cases != 1 else ''}: ask their line manager to reassign "
                    f"{'them' if open_cases != 1 else 'it'}.",
                )

    def has_delete_permission(self, request, obj=None):
        return False


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "manager"]
        labels = {"manager": "Line manager"}
        help_texts = {"manager": "Only users whose role is line manager are listed."}
        error_messages = {
            "name": {
                "required": "Enter the name of the team",
                "unique": "There is a team with this name already: choose a different name",
            },
            "manager": {
                "required": "Select the team's line manager: every team needs one",
                "invalid_choice": "Select a line manager from the list: only active users whose role is "
                "line manager can manage a team",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["manager"]
        field.required = True
        field.queryset = User.objects.filter(role=Role.LINE_MANAGER, is_active=True).order_by("full_name")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the name of the team")
        return name


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    form = TeamForm
    list_display = ["name", "manager"]
    list_select_related = ["manager"]
    search_fields = ["name", "manager__full_name"]

    def has_delete_permission(self, request, obj=None):
        return False  # cases and people point at their team


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind"]
        labels = {"kind": "Type of agency"}
        error_messages = {
            "name": {
                "required": "Enter the name of the agency",
                "unique": "There is an agency with this name already: choose it from the list instead",
            },
            "kind": {"required": "Select the type of agency"},
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the name of the agency")
        return name


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    form = AgencyForm
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # members and memberships point at their agency


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence of who looked at what."""

    list_display = ["at", "user", "what", "case", "path", "denied"]
    list_filter = ["denied", "what"]
    list_select_related = ["user", "case"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only register of signed documents: their hashes, not their content."""

    list_display = ["created_at", "kind", "source_type", "source_id", "sha256", "size"]
    list_filter = ["kind"]
    fields = ["kind", "source_type", "source_id", "sha256", "size", "signed", "created_at", "created_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisposalRecord)
class DisposalRecordAdmin(admin.ModelAdmin):
    """Read-only: the evidence that case records were disposed of on schedule (no personal data)."""

    list_display = ["disposed_at", "case_reference", "record_type", "closed_on", "due_on", "disposed_by"]
    list_filter = ["record_type"]
    list_select_related = ["disposed_by"]
    date_hierarchy = "disposed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Messages sent to practitioners and managers: admins may look, never change."""

    list_display = ["subject", "recipient", "created_at", "emailed_at", "read_at"]
    list_filter = ["kind", "is_escalation"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
