"""What partner agencies report about a family's non-engagement (docs/roles.md).

Import each module by its path (engagement.partners.services, ...). The package re-exports
nothing, so that loading its models, which engagement/models.py does while Django starts, does not
load its services and forms with them.
"""
