"""Validators shared by the public forms."""

import pytest
from django.core.exceptions import ValidationError

from blog.validators import TEXT_DIRECTION_CONTROLS, validate_no_text_direction_controls


@pytest.mark.parametrize("control", list(TEXT_DIRECTION_CONTROLS))
def test_each_embedding_override_and_isolate_control_is_refused(control):
    with pytest.raises(ValidationError) as refused:
        validate_no_text_direction_controls(f"Sam{control} Sender")
    assert refused.value.code == "text_direction"
    assert "Your name contains invisible text-direction characters" in refused.value.messages[0]


def test_the_refused_controls_are_the_nine_of_the_unicode_bidi_algorithm():
    assert sorted(TEXT_DIRECTION_CONTROLS) == [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize(
    "name",
    [
        "Sam Sender",
        "שרה כהן",
        "محمد (Mo)",
        "\u05e9\u05e8\u05d4\u200f (Sara)",  # RIGHT-TO-LEFT MARK: how RTL text places punctuation
        "Sara\u200e",  # LEFT-TO-RIGHT MARK
        "\u0645\u062d\u0645\u062f\u061c",  # ARABIC LETTER MARK
        "Zoë O’Brien-Łukasz",
    ],
)
def test_names_in_any_script_and_direction_marks_are_accepted(name):
    validate_no_text_direction_controls(name)
