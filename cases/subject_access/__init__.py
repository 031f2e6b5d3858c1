"""Subject access requests (issue 22): everything held about one person, reviewed and released.

    models.py      the request, the items gathered for it (in parts, each tagged with whose
                   information it is), and the release
    choices.py     whose information a part is, what is redacted by default, the redaction mark
    registry.py    where each app registers the collector that gathers its own records; the
                   kernel never imports the apps above it
    collect.py     the kernel's own collector: the person's records, the family, the referral,
                   the history of their details, the signed documents and the access log
    services.py    opening a request (gathering), reviewing an item, releasing the bundle
    selectors.py   reads for the pages
    views.py       the information governance officer's pages, under /subject-access/

Nothing here is imported at start-up but the models (through cases.models) and the registry.
"""
