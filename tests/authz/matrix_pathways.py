"""The pathway editor: admins only. Everyone else, managers included, gets 404.

The world's Knowsley pathway has a draft (to change a step, preview and publish); Camden has
none (to create one).
"""

from flowchart import pathway_services
from flowchart.models import Pathway
from flowchart.pathways import CAMDEN, KNOWSLEY
from tests.factories.flowchart import ensure_pathways

from .entries import ADMIN, Entry


def _knowsley(w):
    return {"pk": w.knowsley.pk}


ENTRIES = {
    "flowchart:pathway_list": Entry(ADMIN),
    "flowchart:pathway_steps": Entry(ADMIN, kwargs=_knowsley),
    "flowchart:pathway_draft_create": Entry(ADMIN, kwargs=lambda w: {"pk": w.camden.pk}),
    "flowchart:pathway_step_change": Entry(
        ADMIN,
        kwargs=lambda w: {"pk": w.knowsley.pk, "order": 2},
        data=lambda w: {
            "day": "4",
            "timing": "before",
            "title": "Telephone the family to arrange a home visit",
            "requirement": "attempts",
            "attempt_kinds": ["phone_call"],
            "attempt_count": "1",
            "responsible": "lead_practitioner",
        },
    ),
    "flowchart:pathway_publish": Entry(ADMIN, kwargs=_knowsley),
}


def extend_world(world):
    ensure_pathways()
    world.knowsley = Pathway.objects.get(code=KNOWSLEY)
    world.camden = Pathway.objects.get(code=CAMDEN)
    pathway_services.pathway_draft_make(pathway=world.knowsley, by=world.users["admin"])
