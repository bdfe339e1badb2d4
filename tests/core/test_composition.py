"""An env class composed from parts where it is defined (as a user composes their own): it is completed
when the class is made, from what that class itself declares, and only then."""

import inspect
from dataclasses import replace

import pytest

from robo2d.core.env import ComposedEnv
from robo2d.core.image_sensor import TopDownImage
from robo2d.envs.one_joint import PHYSICS, OneJointEnv
from robo2d.envs.pixel_reacher import PixelReacherEnv

TEMPLATE = (
    "A user's env.\n\n## Arguments\n{arguments table}\n\n## Domain randomization\n{randomization table}\n"
)


def _compose(base: type, **declared) -> type:
    """A subclass of `base` made here, with `declared` (parts, arguments) and the template docstring."""
    return type("UserEnv", (base,), {"__doc__": TEMPLATE, "__module__": __name__, **declared})


def test_a_class_declaring_only_its_parts_is_completed_and_checked():
    """New parts alone (other physics) fill the docstring's tables; parts whose sensor takes an argument
    the class does not declare are refused when the class is made, naming it."""
    slower = _compose(OneJointEnv, parts=replace(OneJointEnv.parts, physics=replace(PHYSICS, substeps=6)))
    doc = inspect.getdoc(slower)
    assert "{arguments table}" not in doc and "{randomization table}" not in doc
    assert "| `robot` |" in doc and "| `joint_damping` |" in doc
    with_image = replace(OneJointEnv.parts, sensor=TopDownImage())
    with pytest.raises(
        TypeError, match=r"UserEnv arguments a part takes, but not declared: \['image_size'\]"
    ):
        _compose(OneJointEnv, parts=with_image)
    image_size = {"image_size": PixelReacherEnv.arguments["image_size"]}
    seeing = _compose(OneJointEnv, parts=with_image, arguments={**OneJointEnv.arguments, **image_size})
    assert seeing.supports_goal_conditioned is False and OneJointEnv.supports_goal_conditioned is True
    assert "| `image_size` |" in inspect.getdoc(seeing) and "| `camera_offset` |" in inspect.getdoc(seeing)


def test_a_class_declaring_only_its_arguments_is_checked():
    """New arguments alone are checked against the parts that take them: one no part takes is refused
    when the class is made, naming it."""
    with pytest.raises(TypeError, match="UserEnv arguments .*colour"):
        _compose(
            PixelReacherEnv,
            arguments={**PixelReacherEnv.arguments, "colour": PixelReacherEnv.arguments["image_size"]},
        )


def test_a_class_with_both_kinds_of_mismatch_is_told_both():
    """An argument no part takes and one a part takes but the class lacks: one error names both."""
    with_image = replace(OneJointEnv.parts, sensor=TopDownImage())
    arguments = {**OneJointEnv.arguments, "colour": PixelReacherEnv.arguments["image_size"]}
    with pytest.raises(TypeError) as refused:
        _compose(OneJointEnv, parts=with_image, arguments=arguments)
    assert str(refused.value) == (
        "UserEnv arguments no part takes: ['colour']; a part takes, but not declared: ['image_size']"
    )


def test_a_subclass_declaring_nothing_is_left_as_it_is():
    """A subclass that only adds behaviour keeps its own docstring untouched (placeholders and all)."""
    plain = type("Plain", (OneJointEnv,), {"__doc__": TEMPLATE, "__module__": __name__})
    assert plain.__doc__ == TEMPLATE and plain.supports_goal_conditioned is True
    assert issubclass(plain, ComposedEnv)
