"""The message a practitioner writes to a family member, and the manager's decision on a held one."""

from crispy_forms_gds.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.forms import GovFormMixin, gov_date_field, gov_radios_field, gov_text_field
from cases.models import Person, document_language

from . import selectors
from .models import Channel, MessageTemplate, TemplateKind


class MessageForm(GovFormMixin, forms.Form):
    """Choose a text or an email and its wording; preview it; then send it."""

    channel = gov_radios_field(
        _("Send a"),
        [(Channel.SMS.value, _("Text message")), (Channel.EMAIL.value, _("Email"))],
        _("Select a text message or an email"),
    )
    template = forms.ModelChoiceField(
        label=_("Wording to start from"),
        queryset=MessageTemplate.objects.none(),
        required=False,
        empty_label=_("Write my own"),
        error_messages={"invalid_choice": _("Select wording from the list")},
    )
    date = gov_date_field(
        _("Date the message gives (if it gives one)"), required=False, help_text=_("For example, 27 3 2026")
    )
    subject = forms.CharField(label=_("Email subject"), max_length=200, required=False)
    body = gov_text_field(
        _("Message"), help_text=_("Check it before you send it: it goes as written."), required=False, rows=6
    )

    def __init__(self, *args, person: Person, previewed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The wording is offered in the person's language; where there is none in Welsh, the
        # English is offered instead and the page says so (`fallbacks`).
        self.language = document_language(person)
        offered, self.fallbacks = selectors.message_templates_for(self.language)
        self.fields["template"].queryset = MessageTemplate.objects.filter(
            pk__in=[t.pk for t in offered]
        ).order_by("kind", "name")
        english_only = {t.pk for t in self.fallbacks}
        self.fields["template"].label_from_instance = lambda t: (
            (
                # Translators: a wording's name and its kind in lower case, such as "Missed appointment
                # (text message, in English)".
                gettext("%(name)s (%(kind)s, in English)")
                if t.pk in english_only
                else gettext("%(name)s (%(kind)s)")
            )
            % {"name": t.name, "kind": t.get_kind_display().lower()}
        )
        buttons = [Submit("preview", _("Preview the message"), css_class="govuk-button--secondary")]
        if previewed:
            buttons.append(Submit("send", _("Send the message")))
        self.helper.layout = Layout(*self.fields.keys(), *buttons)

    def clean(self):
        data = super().clean()
        template = data.get("template")
        if template is not None and data.get("channel") and template.kind != data["channel"]:
            if template.kind == TemplateKind.SMS:
                message = gettext("'%(name)s' is wording for a text message")
            else:
                message = gettext("'%(name)s' is wording for an email")
            self.add_error("template", message % {"name": template.name})
        return data


class MessageDecisionForm(GovFormMixin, forms.Form):
    submit_label = _("Save the decision")

    decision = gov_radios_field(
        _("Send this message?"),
        [("approve", _("Yes, send it")), ("refuse", _("No, it must not be sent"))],
        _("Select whether the message can be sent"),
    )
    notes = gov_text_field(_("Why not, and how else to reach them"), required=False, rows=3)


class PlaceTextForm(GovFormMixin, forms.Form):
    """Who sent a text from a number the service did not know, from the manager's open cases."""

    submit_label = _("Put the text in their chronology")

    person = forms.ModelChoiceField(
        label=_("Who sent it"),
        help_text=_("Everyone on the open cases you manage, by case reference."),
        queryset=Person.objects.none(),
        empty_label=_("Choose the person"),
        error_messages={
            "required": _("Select who sent the text"),
            "invalid_choice": _("Select someone on one of your open cases"),
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.case.reference}: {p.full_name}"
