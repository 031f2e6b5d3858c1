"""What a council system owner configures: pathways and their versions, days, reminders,
escalations and service closure days.

Changing a pathway: the pathway editor (flowchart/pathway_views.py, "Change a pathway step by
step" on the admin's home page) makes a draft, changes its steps one page at a time, previews
the change and publishes it. Here the same can still be done on one page: open its current
version, choose "Make a new draft version" from the actions list, change the draft's steps,
then choose "Publish". New cases follow the published
draft from then on; families already in the flow chart keep the version they started on.
Published versions cannot be edited or deleted, so the record of what was asked stays true.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin import CaseLinkedAdmin, ReadOnlyAdmin
from cases.forms import gov_date_field
from engagement.models import AttemptKind, AttemptOutcome

from . import pathway_services, selectors, services
from .forms import StepRulesMixin
from .models import (
    ClosureDay,
    DecisionOutcome,
    Episode,
    FlowchartSettings,
    Pathway,
    PathwayVersion,
    Step,
    SweepDay,
)

DUPLICATE_ORDER = _("Another step has this number in the order already: give each step its own number")


class StepForm(StepRulesMixin, forms.ModelForm):
    attempt_kinds = forms.MultipleChoiceField(
        label=_("Kinds of attempt that count"),
        choices=AttemptKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only for steps done by contact attempts."),
    )
    attempt_outcomes = forms.MultipleChoiceField(
        label=_("Outcomes that count"),
        choices=AttemptOutcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to count any outcome."),
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
            "if_possible",
            "guidance",
        ]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2, "cols": 40})}
        error_messages = {
            NON_FIELD_ERRORS: {"unique_together": DUPLICATE_ORDER},
            "order": {"required": _("Enter the step's place in the order, for example 3")},
            "day": {"required": _("Enter the day number of the step, for example 5")},
            "title": {"required": _("Enter what the step is, for example 'Telephone the family'")},
            "attempt_count": {"required": _("Enter how many attempts are needed, for example 1")},
        }

    def clean_order(self):
        order = self.cleaned_data["order"]
        if order < 1:
            raise forms.ValidationError(_("Enter the step's place in the order as 1 or more"))
        return order


class StepFormSet(forms.BaseInlineFormSet):
    """The steps of one version, checked together: each in its own place, in the order of their days."""

    def clean(self):
        steps = [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and not self._should_delete_form(form)
            and not form.errors
        ]
        by_order = {}
        for form in steps:
            order = form.cleaned_data.get("order")
            if order in by_order:
                form.add_error("order", DUPLICATE_ORDER)
            else:
                by_order[order] = form
        previous = None
        for order in sorted(by_order):
            form = by_order[order]
            day = form.cleaned_data.get("day")
            if previous is not None and day < previous[1]:
                form.add_error(
                    "day",
                    _(
                        "Step %(order)s is on day %(day)s but comes after step %(previous)s on day "
                        "%(previous_day)s: put the steps in the order of their days"
                    )
                    % {"order": order, "day": day, "previous": previous[0], "previous_day": previous[1]},
                )
            previous = (order, day)
        if any(form.errors for form in steps):
            return  # the messages are on the steps; the generic duplicate check would repeat them
        super().clean()


class StepInline(admin.StackedInline):
    model = Step
    form = StepForm
    formset = StepFormSet
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
                "description": _(
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

    @admin.display(description=_("State"))
    def state(self, obj):
        return gettext("Published") if obj.is_published else gettext("Draft: can be edited")

    @admin.display(description=_("Families on this version"))
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

    @admin.action(description=_("Make a new draft version from the selected version"))
    def make_draft(self, request, queryset):
        for version in queryset:
            try:
                draft = services.pathway_version_draft(version=version, by=request.user)
            except services.FlowchartError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext(
                        "Draft version %(number)s of %(pathway)s made: change its steps, then publish it."
                    )
                    % {"number": draft.number, "pathway": draft.pathway},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Publish the selected draft (new cases will follow it)"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.pathway_version_publish(version=version, by=request.user)
            except services.FlowchartError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext(
                        "Version %(number)s of %(pathway)s is published. Families already in the flow chart "
                        "keep the version they started on."
                    )
                    % {"number": version.number, "pathway": version.pathway},
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


class PathwayForm(forms.ModelForm):
    # Not the model field itself: moving "used for new cases" from one pathway to another
    # unticks the old one first, which the one-default constraint would otherwise refuse.
    use_for_new_cases = forms.BooleanField(
        label=_("Used for new cases"),
        required=False,
        help_text=_(
            "New cases follow this pathway unless someone chooses another. Ticking it here "
            "unticks the pathway used until now."
        ),
    )
    decision_outcomes = forms.MultipleChoiceField(
        label=_("Decisions offered on the decision day"),
        choices=DecisionOutcome.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What the line manager chooses from on the decision day. None ticked: step up, step "
            "down, close, continue with a review date, single agency monitoring, or invite the social "
            "worker to the multi-agency meeting (the Knowsley flow chart). The manager can close a case "
            "at any time, whatever is ticked here."
        ),
    )

    class Meta:
        model = Pathway
        fields = ["name", "code", "description", "decision_outcomes"]
        error_messages = {
            "name": {"required": _("Enter the name of the pathway")},
            "code": {
                "required": _("Enter a short name for the system, for example 'north-15-day'"),
                "invalid": _(
                    "Enter a short name using only letters, numbers and hyphens, for example 'north-15-day'"
                ),
                "unique": _("Another pathway uses this short name: choose a different one"),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["use_for_new_cases"].initial = self.instance.is_default

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name of the pathway"))
        return name

    def clean_decision_outcomes(self):
        chosen = set(self.cleaned_data["decision_outcomes"])
        # Kept in the order the choices are listed, whatever order they were ticked in.
        return [value for value in DecisionOutcome.values if value in chosen]

    def clean_use_for_new_cases(self):
        use = self.cleaned_data["use_for_new_cases"]
        pathway = self.instance
        if pathway.is_default and not use:
            raise forms.ValidationError(
                _(
                    "New cases must follow a pathway: to change which, tick 'Used for new cases' on the "
                    "other pathway instead"
                )
            )
        if use and not pathway.is_default:
            published = pathway.pk and pathway.versions.filter(published_at__isnull=False).exists()
            if not published:
                raise forms.ValidationError(
                    _("Publish a version of this pathway before using it for new cases")
                )
        return use


@admin.register(Pathway)
class PathwayAdmin(SimpleHistoryAdmin):
    form = PathwayForm
    list_display = ["name", "code", "is_default"]
    search_fields = ["name", "code"]
    fields = ["name", "code", "description", "use_for_new_cases", "decision_outcomes"]
    inlines = [VersionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def save_model(self, request, obj, form, change):
        use = form.cleaned_data.get("use_for_new_cases", obj.is_default)
        pathway_services.pathway_save(pathway=obj, by=request.user, use_for_new_cases=use)

    def has_delete_permission(self, request, obj=None):
        return False


class SingleRowAdmin(SimpleHistoryAdmin):
    """A settings row: the list goes straight to the one row, which cannot be added or deleted."""

    def changelist_view(self, request, extra_context=None):
        row = self.row()
        return redirect(reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.row()  # the row exists even where the migration that makes it has not run
        return super().change_view(request, object_id, form_url, extra_context)

    def row(self):
        raise NotImplementedError

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FlowchartSettingsForm(forms.ModelForm):
    class Meta:
        model = FlowchartSettings
        fields = [
            "working_days",
            "nation",
            "morning_reminder_time",
            "escalate_overdue_steps",
            "escalate_after_days",
        ]
        # The 24-hour clock the rest of the product uses, typed as HH:MM: the admin's own time
        # widget offers 12-hour shortcuts ("6 a.m.", "Noon").
        widgets = {
            "morning_reminder_time": forms.TimeInput(
                format="%H:%M", attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}
            )
        }
        help_texts = {"morning_reminder_time": _("In the 24-hour clock, for example 08:00.")}
        error_messages = {
            "morning_reminder_time": {
                "required": _("Enter the time the morning reminders go, for example 08:00"),
                "invalid": _("Enter the time as hours and minutes, for example 08:00"),
            },
            "escalate_after_days": {
                "required": _("Enter how many days a step may be overdue before the line manager is told"),
                "invalid": _("Enter the number of days as a whole number, for example 1"),
            },
        }


@admin.register(FlowchartSettings)
class FlowchartSettingsAdmin(SingleRowAdmin):
    form = FlowchartSettingsForm
    fieldsets = [
        (
            _("Days"),
            {
                "fields": ["working_days", "nation"],
                "description": _(
                    "How the flow chart's days are counted. Families already in the flow chart keep the "
                    "way of counting they started with; service closure days count for everyone."
                ),
            },
        ),
        (_("Reminders"), {"fields": ["morning_reminder_time"]}),
        (
            _("Escalation of overdue steps"),
            {
                "fields": ["escalate_overdue_steps", "escalate_after_days"],
                "description": _("Who is told when a flow-chart step is not done in time, and when."),
            },
        ),
    ]

    def row(self):
        return selectors.settings_in_force()


class ClosureDayForm(forms.ModelForm):
    # The GOV.UK date input the rest of the product uses (day, month, year), not the admin's
    # calendar widget: one way of typing a date, with errors that say what to do.
    date = gov_date_field(
        _("Closure day"),
        name=_("closure day"),
        help_text=_("The day the service is shut. For example, 29 12 2026"),
    )

    class Meta:
        model = ClosureDay
        fields = ["date", "reason"]
        error_messages = {
            "reason": {"required": _("Enter why the service is shut on this day")},
        }


@admin.register(ClosureDay)
class ClosureDayAdmin(SimpleHistoryAdmin):
    """Days the service is shut: counted like bank holidays for every family in the flow chart."""

    form = ClosureDayForm
    list_display = ["date", "weekday", "reason"]
    search_fields = ["reason"]
    date_hierarchy = "date"
    fields = ["date", "reason"]

    @admin.display(description=_("Day of the week"))
    def weekday(self, obj):
        return f"{obj.date:%A}"

    def save_model(self, request, obj, form, change):
        before = form.initial.get("date") if change else None
        pathway_services.closure_day_save(closure=obj, by=request.user, moved_from=before)

    def delete_model(self, request, obj):
        pathway_services.closure_days_delete(closures=[obj], by=request.user)

    def delete_queryset(self, request, queryset):
        pathway_services.closure_days_delete(closures=queryset, by=request.user)


@admin.register(Episode)
class EpisodeAdmin(CaseLinkedAdmin):
    """Which pathway version each family follows, and where it stands: by case reference only."""

    list_display = ["case_reference", "version", "day1", "next_due_on", "ended_on", "end_reason"]
    list_filter = ["end_reason", "version__pathway"]
    list_select_related = ["case", "version__pathway"]
    fields = ["case_reference", "version", "day1", "next_due_on", "ended_on", "end_reason"]


@admin.register(SweepDay)
class SweepDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "completed_at", "recorded"]
