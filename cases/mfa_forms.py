"""allauth's MFA forms with GOV.UK error messages (MFA_FORMS in the settings).

allauth's own forms answer an empty code with "This field is required."; these say what to enter.
A wrong code's message is the MFA adapter's (cases/adapters.py).
"""

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.utils.translation import gettext_lazy as _

from .fields import BoundedTextMixin

ENTER_THE_CODE = _("Enter the 6-digit code from your authenticator app")


def _ask_for_the_code(form) -> None:
    form.fields["code"].error_messages["required"] = ENTER_THE_CODE


class CodeAuthenticateForm(BoundedTextMixin, AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_for_the_code(self)


class CodeReauthenticateForm(BoundedTextMixin, ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_for_the_code(self)


class CodeActivateTOTPForm(BoundedTextMixin, ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_for_the_code(self)
