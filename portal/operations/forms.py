"""The target form on the dashboard."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.operations.actions import team_choices
from portal.operations.models import Metric


class TargetForm(forms.Form):
    metric = forms.ChoiceField(label=_("Metric"), choices=Metric.choices)
    team = forms.ChoiceField(label=_("Team"), required=False)
    value = forms.FloatField(label=_("Target value"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = team_choices()
