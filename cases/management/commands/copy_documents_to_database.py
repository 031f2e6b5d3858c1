"""Copy signed documents still on this server's disk (MEDIA_ROOT) into the documents storage.

`migrate` does this once when the database storage arrives; run this again for files restored to
MEDIA_ROOT later. Each file keeps its name, so links to it keep working; a name already stored is
left as it is; a record whose file is not on the disk is listed, and kept.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.models import StoredFile
from cases.storage import DatabaseStorage, copy_files_from_disk, document_file_fields, documents_storage


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options):
        if not isinstance(documents_storage(), DatabaseStorage):
            raise CommandError(
                "Documents are kept in object storage (DOCUMENTS_STORAGE): copy MEDIA_ROOT there "
                "with the storage's own tools, keeping each file's name"
            )
        # A document's history rows name the same file as the document: each name is copied once.
        names = {
            name
            for model, field in document_file_fields()
            for name in model.objects.exclude(**{field: ""}).values_list(field, flat=True)
        }
        copied, missing = copy_files_from_disk(
            stored_file_model=StoredFile, names=names, root=settings.MEDIA_ROOT
        )
        for name in missing:
            self.stderr.write(f"Missing from {settings.MEDIA_ROOT}, its record kept: {name}")
        self.stdout.write(f"Copied {len(copied)} document files into the database; {len(missing)} missing.")
