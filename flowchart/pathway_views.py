"""The admin's pathway editor: a draft changed step by step, previewed, then published.

Admins only (anyone else gets 404). The pages configure; they show no case content: the preview
replays a made-up sample family, and running episodes are counted, never named.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cases.access import role_view
from cases.forms import form_save
from cases.http import accepts
from cases.models import Role

from . import pathway_services, selectors
from .forms import PublishForm, StepChangeForm
from .models import Pathway, Step
from .pathway_preview import SAMPLE_DESCRIPTION, pathway_preview, running_by_version
from .services import FlowchartError


def _draft_or_404(pathway: Pathway):
    draft = selectors.pathway_draft(pathway)
    if draft is None:
        raise Http404("This pathway has no draft")
    return draft


def _to_steps(pathway: Pathway):
    return redirect("flowchart:pathway_steps", pk=pathway.pk)


@accepts("GET")
@role_view(Role.ADMIN)
def pathway_list(request):
    return render(request, "flowchart/pathway_list.html", {"pathways": selectors.pathways_for_editing()})


@accepts("GET")
@role_view(Role.ADMIN)
def pathway_steps(request, pk):
    pathway = get_object_or_404(Pathway, pk=pk)
    draft = selectors.pathway_draft(pathway)
    version = draft or selectors.current_version(pathway.code)
    context = {
        "pathway": pathway,
        "draft": draft,
        "version": version,
        "steps": list(version.steps.order_by("order")) if version else [],
        "running": running_by_version(pathway),
    }
    return render(request, "flowchart/pathway_steps.html", context)


@accepts("POST")
@role_view(Role.ADMIN)
def pathway_draft_create(request, pk):
    pathway = get_object_or_404(Pathway, pk=pk)
    try:
        draft = pathway_services.pathway_draft_make(pathway=pathway, by=request.user)
    except FlowchartError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Draft version %(number)s created. Change its steps, preview the change, then publish it.")
            % {"number": draft.number},
        )
    return _to_steps(pathway)


@accepts("GET", "POST")
@role_view(Role.ADMIN)
def pathway_step_change(request, pk, order):
    pathway = get_object_or_404(Pathway, pk=pk)
    draft = _draft_or_404(pathway)
    step = get_object_or_404(Step, version=draft, order=order)
    form = StepChangeForm(request.POST or None, initial=StepChangeForm.initial_for(step))
    if request.method == "POST" and form.is_valid():
        try:
            pathway_services.pathway_step_change(step=step, by=request.user, **form.cleaned_data)
        except pathway_services.StepOutOfOrder as error:
            form.add_error("day", str(error))
        except FlowchartError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Step %(order)s saved in draft version %(number)s. Nobody follows the draft until you publish it."
                )
                % {"order": step.order, "number": draft.number},
            )
            return _to_steps(pathway)
    context = {
        "form": form,
        "pathway": pathway,
        "draft": draft,
        "step": step,
        "title": _("Step %(order)s: %(title)s") % {"order": step.order, "title": step.title},
    }
    return render(request, "flowchart/pathway_step_form.html", context)


@accepts("GET", "POST")
@role_view(Role.ADMIN)
def pathway_publish(request, pk):
    """GET: what publishing would do (the preview). POST: publish, through the publish service."""
    pathway = get_object_or_404(Pathway, pk=pk)
    draft = _draft_or_404(pathway)
    # The form has no fields: a POST is bound even when it carries only the CSRF token.
    form = PublishForm(request.POST if request.method == "POST" else None)
    published = form_save(
        request,
        form,
        lambda data: pathway_services.pathway_draft_publish(pathway=pathway, by=request.user),
        errors=FlowchartError,
    )
    if published:
        version = published.result
        messages.success(
            request,
            _(
                "Version %(number)s of %(pathway)s is published: new cases follow it from now on. Families "
                "already in the flow chart keep the version they started on."
            )
            % {"number": version.number, "pathway": pathway.name},
        )
        return _to_steps(pathway)
    running = running_by_version(pathway)
    context = {
        "form": form,
        "pathway": pathway,
        "draft": draft,
        "preview": pathway_preview(pathway),
        "running": running,
        "running_total": sum(version.running for version in running),
        "sample_description": SAMPLE_DESCRIPTION,
    }
    return render(request, "flowchart/pathway_preview.html", context)
