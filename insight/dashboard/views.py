"""Thin views for the managers' team dashboard: check the team is theirs, read the figures, render."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cases.access import role_view
from cases.http import accepts
from cases.models import Role, User

from . import selectors
from .selectors import DAY_KEYS, FIGURES, FLOWCHART, SAFETY, SHARING, Figure

SECTIONS = (
    (
        _("The flow chart"),
        FLOWCHART,
        ("in_flowchart", "overdue", "awaiting_oversight", "decision_overdue", "decision_due_soon"),
    ),
    (
        _("Assessments shared with the multi-agency meeting"),
        SHARING,
        ("share_late", "share_unacknowledged"),
    ),
    (_("Safety"), SAFETY, ("hostile",)),
)


class PractitionerFilterForm(forms.Form):
    """Narrow the figures to one lead practitioner, chosen from those working on the team's cases.

    The choice is checked against the list already read, so whatever is typed into the address
    (another team's practitioner, letters, a huge number) is never looked up: it is refused with
    a message and the whole team is shown.
    """

    practitioner = forms.ChoiceField(
        label=_("Lead practitioner"),
        required=False,
        error_messages={"invalid_choice": _("Select a lead practitioner from the list")},
    )

    def __init__(self, data, *, practitioners: list[User]):
        super().__init__(data)
        self.practitioners = {str(p.pk): p for p in practitioners}
        self.fields["practitioner"].choices = [
            ("", _("All practitioners")),
            *((pk, p.full_name) for pk, p in self.practitioners.items()),
        ]

    def chosen(self) -> User | None:
        if not self.is_valid():
            return None
        return self.practitioners.get(self.cleaned_data["practitioner"])


@dataclass(frozen=True)
class FigureRow:
    figure: Figure
    count: int
    url: str


def _figure_url(team, key: str, practitioner: User | None, *, base: str | None = None) -> str:
    """The list of families behind a figure. `base`: the list's address, when a page links to
    many figures and has worked it out once."""
    base = base or reverse("dashboard:figure_cases", kwargs={"team_pk": team.pk})
    # Written out rather than through urlencode (a page links about 120 times): a figure's key
    # is one of FIGURES' (letters, digits and underscores) and a practitioner's an integer.
    if practitioner is not None:
        return f"{base}?figure={key}&practitioner={int(practitioner.pk)}"
    return f"{base}?figure={key}"


def _dashboard_url(team, practitioner: User | None) -> str:
    url = reverse("dashboard:team_dashboard", kwargs={"team_pk": team.pk})
    return f"{url}?{urlencode({'practitioner': practitioner.pk})}" if practitioner else url


def _filter(request, team) -> tuple[PractitionerFilterForm, User | None]:
    form = PractitionerFilterForm(request.GET, practitioners=selectors.team_practitioners(team))
    return form, form.chosen()


@dataclass(frozen=True)
class SlipLink:
    count: int
    words: str
    url: str


@accepts("GET")
@role_view(Role.LINE_MANAGER)
def teams(request):
    teams = list(selectors.teams_managed_by(request.user))
    if len(teams) == 1:
        return redirect("dashboard:team_dashboard", team_pk=teams[0].pk)
    return render(request, "insight/dashboard/teams.html", {"teams": teams})


@accepts("GET")
@role_view(Role.LINE_MANAGER)
def team_dashboard(request, team_pk):
    team = selectors.team_for(request.user, team_pk)
    form, practitioner = _filter(request, team)
    figures = selectors.team_figures(
        user=request.user, team=team, today=timezone.localdate(), practitioner=practitioner, reasons=False
    )

    base = reverse("dashboard:figure_cases", kwargs={"team_pk": team.pk})

    def rows(keys):
        return [
            FigureRow(FIGURES[k], figures.count(k), _figure_url(team, k, practitioner, base=base))
            for k in keys
        ]

    # What is slipping leads the page, by practitioner, each problem a link to its families.
    slipping = [
        (
            slipping.practitioner,
            [
                SlipLink(
                    slip.count, slip.words, _figure_url(team, slip.key, slipping.practitioner, base=base)
                )
                for slip in slipping.slips
            ],
        )
        for slipping in selectors.slipping_by_practitioner(figures, list(form.practitioners.values()))
    ]
    context = {
        "team": team,
        "form": form,
        "practitioner": practitioner,
        "today": figures.today,
        "slipping": slipping,
        "sections": [(title, group, rows(keys)) for title, group, keys in SECTIONS],
        "days": rows(DAY_KEYS),
    }
    return render(request, "insight/dashboard/team_dashboard.html", context)


@accepts("GET")
@role_view(Role.LINE_MANAGER)
def figure_cases(request, team_pk):
    team = selectors.team_for(request.user, team_pk)
    form, practitioner = _filter(request, team)
    figure = FIGURES.get(request.GET.get("figure", ""))
    if figure is None:
        messages.info(request, _("Choose a number on the dashboard to see the families behind it"))
        return redirect(_dashboard_url(team, practitioner))
    figures = selectors.team_figures(
        user=request.user,
        team=team,
        today=timezone.localdate(),
        practitioner=practitioner,
        groups=[figure.group],
    )
    behind = figures.cases_behind(figure.key)
    context = {
        "team": team,
        "form": form,
        "practitioner": practitioner,
        "figure": figure,
        "today": figures.today,
        "rows": [
            (case, behind[case.pk], figures.day_numbers.get(case.pk)) for case in selectors.cases_for(behind)
        ],
        "back_url": _dashboard_url(team, practitioner),
    }
    return render(request, "insight/dashboard/figure_cases.html", context)
