"""How allauth fits the service: accounts made by admins only, and MFA secrets encrypted at rest."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from . import kept_posts


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by admins; nobody signs themselves up."""

    def get_login_redirect_url(self, request):
        # Signed in with no page to go back to, but with a form kept from when the session ended:
        # back to that form (cases/kept_posts.py), rather than the home page.
        return kept_posts.kept_path(request) or super().get_login_redirect_url(request)

    def is_open_for_signup(self, request):
        return False


# Where allauth keeps what it encrypts in an authenticator's data: the TOTP secret, the recovery
# codes' seed, and codes carried over from an older installation.
ENCRYPTED_KEYS = ("secret", "seed")
ENCRYPTED_LISTS = ("migrated_codes",)


def mfa_keys(keys: list[str] | None = None) -> MultiFernet:
    """The keys that encrypt MFA secrets, newest first: the first encrypts, any of them decrypts."""
    keys = settings.MFA_ENCRYPTION_KEYS if keys is None else keys
    if not keys:
        raise ImproperlyConfigured(
            "Set MFA_ENCRYPTION_KEYS to a Fernet key (see docs/security.md): authenticator secrets "
            "are never stored unencrypted"
        )
    return MultiFernet([Fernet(key) for key in keys])


def authenticator_data_rewrite(data: dict, change) -> dict:
    """The authenticator's data with `change` applied to every encrypted value in it."""
    data = dict(data)
    for key in ENCRYPTED_KEYS:
        if data.get(key):
            data[key] = change(data[key])
    for key in ENCRYPTED_LISTS:
        if data.get(key):
            data[key] = [change(value) for value in data[key]]
    return data


def is_encrypted(value: str, keys: MultiFernet) -> bool:
    try:
        keys.decrypt(value.encode())
    except InvalidToken:
        return False
    return True


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with a key from the environment,
    so a copy of the database (a backup, a dump) holds no secret anyone can use."""

    # allauth's "Incorrect code." says what went wrong but not what to do about it (GOV.UK error
    # messages say both); the authenticate and re-authenticate forms also take a recovery code.
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            _(
                "The code is not right: check you are using the authenticator app set up for this "
                "service, and enter the code it shows now"
            )
        ),
    }

    def encrypt(self, text: str) -> str:
        return mfa_keys().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_keys().decrypt(encrypted_text.encode()).decode()


def authenticators_remove(*, user) -> int:
    """Remove someone's authenticator app and recovery codes (sign-in credentials, not records):
    how many there were."""
    removed, _by_model = Authenticator.objects.filter(user=user).delete()
    return removed


def authenticators_rewrite(model, change_for) -> int:
    """Apply a change to the encrypted values of every authenticator (a migration passes its own
    `model`); `change_for(keys)` makes the change once the keys are known. Returns how many."""
    rows = list(model.objects.only("pk", "data"))
    if not rows:
        return 0  # nothing to encrypt: an installation without keys yet may still migrate
    change = change_for(mfa_keys())
    for row in rows:
        row.data = authenticator_data_rewrite(row.data, change)
        row.save(update_fields=["data"])
    return len(rows)


def encrypt_if_plain(keys: MultiFernet):
    """Encrypt a value stored before secrets were encrypted; leave one already encrypted alone."""
    return lambda value: value if is_encrypted(value, keys) else keys.encrypt(value.encode()).decode()


def decrypt_if_encrypted(keys: MultiFernet):
    return lambda value: keys.decrypt(value.encode()).decode() if is_encrypted(value, keys) else value


def rotate(keys: MultiFernet):
    """Re-encrypt a value under the newest key, whichever of the keys encrypted it."""
    return lambda value: keys.rotate(value.encode()).decode()
