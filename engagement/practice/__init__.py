"""Practice tools: cycle of change, Signs of Safety, GROW goals and supervision (docs/practice-tools.md).

Import each module by its path (engagement.practice.services, ...). The package re-exports
nothing, so that loading its models, which engagement/models.py does while Django starts, does not
load its services and forms with them.
"""
