"""Working together agreements, letters to families and their signed PDFs (docs/signed-documents.md).

Import each module by its path (engagement.documents.services, ...). The package re-exports
nothing, so that loading its models, which engagement/models.py does while Django starts, does not
load its services and forms with them.
"""
