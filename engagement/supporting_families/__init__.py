"""Supporting Families: a family's headline needs, their outcomes at closure and six months on
(docs/supporting-families.md).

Import each module by its path (engagement.supporting_families.services, ...). The package
re-exports nothing, so that loading its models, which engagement/models.py does while Django
starts, does not load its services with them.
"""
