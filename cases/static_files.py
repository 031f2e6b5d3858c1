"""Static files' addresses, worked out once a process rather than once a page.

Every page names a dozen static files ({% static %} in templates/base.html: the stylesheets,
icons and scripts). With hashed names each lookup reads the manifest, joins the URL and quotes it,
about 40 µs each: half a millisecond a page, for an answer that cannot change while the process
runs, since the manifest is read once, when the storage is made. So each name's address is kept
after its first lookup. Only names the templates use are looked up, so the memory is bounded.
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedUrlsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:  # collectstatic's own lookups, which must see the files as they are now
            return super().url(name, force=True)
        try:
            return self._urls[name]
        except KeyError:
            # A missing name raises here, as before, and is not kept.
            found = self._urls[name] = super().url(name)
            return found


class ManifestStaticStorage(RememberedUrlsMixin, ManifestStaticFilesStorage):
    """Hashed names, not compressed (the web benchmark's server)."""


class CompressedManifestStaticStorage(RememberedUrlsMixin, CompressedManifestStaticFilesStorage):
    """Hashed and compressed, served by WhiteNoise (production)."""
