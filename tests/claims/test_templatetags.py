"""The template helpers of claims/templatetags that pages rely on."""

import datetime

import pytest
from django.utils.html import json_script

from claims.templatetags.claims_pages import chart_json


@pytest.mark.parametrize(
    "value",
    [
        [{"claimant": "</script><script>alert(1)</script>", "note": "a & b <c>"}],
        [{"date": datetime.date(2024, 5, 1), "figure": "≈ 38,598", "panel": "Killed · Russia"}],
        [],
    ],
)
def test_chart_json_writes_what_json_script_writes(value):
    assert chart_json(value, "chart-data") == json_script(value, "chart-data")


def test_chart_json_cannot_close_its_script_element():
    html = chart_json([{"claimant": "</script><b>"}], "chart-data")
    assert html.count("</script>") == 1 and "<b>" not in html
