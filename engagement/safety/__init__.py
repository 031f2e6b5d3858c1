"""Staff safety: hostile incidents, their reviews and the lone-working warning (docs/safety.md).

Import each module by its path (engagement.safety.services, ...). The package re-exports
nothing, so that loading its models, which engagement/models.py does while Django starts, does not
load its services and forms with them.
"""
