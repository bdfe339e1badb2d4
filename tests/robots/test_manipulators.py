"""Pick-and-place with any 6/7-DoF arm: the shipped ones work alike, broken files are refused with
what to change (one file per case, each made from the shipped xArm6 by one edit)."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import gymnasium as gym
import numpy as np
import pybullet as pb
import pybullet_data
import pytest

from robo2d.robots.manipulators.reach import AREA_SIZE, POSITION_TOLERANCE, REST_TCP_HEIGHT
from robo2d.robots.manipulators.shipped import SHIPPED_ARMS
from robo2d.robots.robot_file import RobotFileError

SUCTION = "Robo2DKukaSuctionPickPlace-v0"
REST_TOLERANCE = 0.05  # m: the Kuka's stated rest pose holds the TCP 3.4 cm off its area's centre
XARM = Path(pybullet_data.getDataPath()) / "xarm"


def _xarm_copy(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """The shipped xArm6 URDF with `old` replaced by `new`, its meshes beside it as PyBullet finds them."""
    text = (XARM / "xarm6_robot.urdf").read_text()
    assert old in text
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "arm.urdf"
    path.write_text(text.replace(old, new, 1))
    (tmp_path / "xarm_description").symlink_to(XARM / "xarm_description")
    return path


@pytest.mark.parametrize("robot", sorted(SHIPPED_ARMS))
def test_every_shipped_arm_rests_tool_down_over_its_table_area(robot):
    env = gym.make(SUCTION, robot=robot)
    arm = env.unwrapped.robot
    low, high = np.array(arm.table_area.low), np.array(arm.table_area.high)
    assert np.allclose(high - low, AREA_SIZE)
    env.reset(seed=0)
    centre = (low + high) / 2
    assert np.linalg.norm(arm.tcp[:2] - centre) < REST_TOLERANCE, "rest pose: tool over the area's centre"
    assert abs(arm.tcp[2] - REST_TCP_HEIGHT) < REST_TOLERANCE
    env.close()


@pytest.mark.parametrize("robot", ["panda", "xarm6"])
def test_a_commanded_tcp_is_reached_tool_down(robot):
    """Each arm's IK carries the TCP where the action sends it, anywhere over its table area."""
    env = gym.make(SUCTION, robot=robot)
    env.reset(seed=1)
    arm = env.unwrapped.robot
    corner = np.array([arm.table_area.high[0], arm.table_area.low[1], 0.1])
    for _ in range(40):
        env.step(np.array([*np.clip((corner - arm.tcp) / 0.025, -1, 1), -1.0], dtype=np.float32))
    assert np.linalg.norm(arm.tcp - corner) < 2 * POSITION_TOLERANCE
    env.close()


def test_a_user_urdf_path_with_its_flange(tmp_path):
    path = _xarm_copy(tmp_path)
    env = gym.make(SUCTION, robot=str(path), flange_link="link6")
    assert env.unwrapped.robot.arm_joints == list(range(1, 7))  # joint 0 is the fixed world joint
    env.close()


SIDE_BRANCH = (  # a revolute joint off link2: a second chain end
    '<link name="side"/><joint name="side_joint" type="revolute"><parent link="link2"/><child link="side"/>'
    '<axis xyz="0 0 1"/><limit lower="-1" upper="1" effort="1" velocity="1"/></joint>'
)
BROKEN = {
    "floating": (
        '<joint name="world_joint" type="fixed">',
        '<joint name="world_joint" type="floating">',
        "fixed base",
    ),
    "prismatic": (
        '<joint name="joint3" type="revolute">',
        '<joint name="joint3" type="prismatic">',
        "prismatic",
    ),
    "planar": (
        '<joint name="world_joint" type="fixed">',
        '<joint name="world_joint" type="planar">',
        "is planar: robo2d's arms stand on a fixed base",
    ),
    "no_parent": ('<parent link="link1"/>', "", "joint 'joint2' needs a <parent link=...>"),
    "two_trees": ('<link name="link3">', '<link name="stray"/><link name="link3">', "form several trees"),
    "two_chain_ends": (
        '<link name="link3">',
        SIDE_BRANCH + '<link name="link3">',
        r"end in 2 links \['link6', 'side'\]",
    ),
    "no_room": (
        'lower="-3.927" upper="0.19198"',
        'lower="0.1" upper="0.12"',
        "has 0.020 rad between its limits",
    ),
    "no_reach": ('lower="-2.059" upper="2.0944"', 'lower="-2.059" upper="-1.9"', "cannot reach the table"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_arm_is_refused_with_what_to_change(tmp_path, case):
    old, new, message = BROKEN[case]
    path = _xarm_copy(tmp_path, old, new)
    with pytest.raises(RobotFileError, match=message) as err:
        gym.make(SUCTION, robot=str(path))
    assert str(path.resolve()) in str(err.value), "the message names the file to change"
    if case == "no_reach":  # found only after loading: named as the arm robo2d made of the file
        assert str(err.value).startswith(f"{path.resolve()} (arm): the tool cannot reach the table")


def test_a_fixed_link_off_the_chain_loads(tmp_path):
    """A camera mount bolted to link2 (a fixed joint off the chain to the flange) moves nothing: the arm
    loads with the same joints as without it."""
    mount = '<link name="camera_mount"/><joint name="camera_joint" type="fixed">'
    mount += '<parent link="link2"/><child link="camera_mount"/><origin xyz="0 0.05 0"/></joint>'
    path = _xarm_copy(tmp_path, '<link name="link3">', mount + '<link name="link3">')
    env = gym.make(SUCTION, robot=str(path), flange_link="link6")
    assert env.unwrapped.robot.arm_joints == [1, 2, 4, 5, 6, 7]  # joint 3 holds the mount
    env.close()


def test_a_moving_joint_off_the_chain_to_the_flange_is_refused_naming_both(tmp_path):
    path = _xarm_copy(tmp_path, '<link name="link3">', SIDE_BRANCH + '<link name="link3">')
    with pytest.raises(
        RobotFileError, match="joint 'side_joint' moves link 'side', which is off the chain to 'link6'"
    ):
        gym.make(SUCTION, robot=str(path), flange_link="link6")


def test_an_unknown_flange_link_names_the_links(tmp_path):
    with pytest.raises(RobotFileError, match="no link named 'tool'.*link6"):
        gym.make(SUCTION, robot=str(_xarm_copy(tmp_path)), flange_link="tool")


def test_too_few_joints_to_the_flange(tmp_path):
    with pytest.raises(RobotFileError, match="3 revolute joints.*6"):
        gym.make(SUCTION, robot=str(_xarm_copy(tmp_path)), flange_link="link3")


def test_a_missing_file_and_a_wrong_kind():
    with pytest.raises(FileNotFoundError, match=r"robot 'ur5': no such file \(looked for .*shipped arms"):
        gym.make(SUCTION, robot="ur5")
    with pytest.raises(TypeError, match="flange_link= takes a link name"):
        gym.make(SUCTION, robot="panda", flange_link=3)


def test_check_robot_reports_an_arm_and_refuses_what_gym_make_refuses(tmp_path, capsys):
    from robo2d.diagnostics.manipulator_report import check_manipulator

    assert check_manipulator("xarm6", None, str(tmp_path / "view.png")) == 0
    out = capsys.readouterr().out
    assert "joint6" in out and "table area" in out and (tmp_path / "view.png").stat().st_size > 0
    assert (
        "chain: base link 'world' to flange 'link6'\nlinks past the flange, left out for the tool: none"
        in out
    )
    with_tool = _xarm_copy(tmp_path / "with_tool")
    with_tool.write_text(with_tool.read_text().replace("</robot>", TOOL_PAST_FLANGE))
    assert check_manipulator(str(with_tool), "link6") == 0
    assert "links past the flange, left out for the tool: gripper\n" in capsys.readouterr().out
    broken = _xarm_copy(tmp_path / "broken", *BROKEN["prismatic"][:2])
    assert check_manipulator(str(broken), "link6") == 1
    assert "prismatic" in capsys.readouterr().out


def _drive(randomize: dict, steps: int) -> tuple[np.ndarray, float]:
    """The Kuka driven towards +x and +z for `steps` steps from seed 0's start, with `randomize` (others
    nominal): each arm joint's largest motor torque (N m) and how far the joints moved (rad)."""
    env = gym.make(SUCTION, randomize={**randomize, "others": "nominal"})
    env.reset(seed=0)
    arm, cid = env.unwrapped.robot, env.unwrapped.sim.client

    def joints(field: int) -> np.ndarray:
        return np.array([pb.getJointState(arm.body, j, physicsClientId=cid)[field] for j in arm.arm_joints])

    start, torques = joints(0), []
    action = np.zeros(env.action_space.shape, np.float32)
    action[[0, 2]] = 1.0
    for _ in range(steps):
        env.step(action)
        torques.append(np.abs(joints(3)))
    moved = float(np.linalg.norm(joints(0) - start))
    env.close()
    return np.max(torques, axis=0), moved


def test_randomised_motor_force_caps_the_arms_motors():
    """With links ten times as heavy the shoulder needs about 59 N m; at motor_force 0.1 the Kuka's
    300 N m motors give at most 30 N m, and the shoulder holds there."""
    weak, _ = _drive({"motor_force": 0.1, "link_mass": 10.0}, 3)
    plain, _ = _drive({"link_mass": 10.0}, 3)
    assert plain.max() > 45.0
    assert weak.max() == pytest.approx(30.0, rel=1e-6)


def test_randomised_position_gain_makes_the_arm_move_faster():
    """A higher gain closes more of the distance to the IK target in a step: the arm moves further."""
    _, slow = _drive({"position_gain": 0.5}, 1)
    _, fast = _drive({"position_gain": 2.0}, 1)
    assert fast > 1.1 * slow


#: a tool link past the flange, which the arm's model drops (a gripper a URDF ships with the arm)
TOOL_PAST_FLANGE = (
    '<link name="gripper"/><joint name="gripper_joint" type="fixed"><parent link="link6"/>'
    '<child link="gripper"/></joint></robot>'
)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("visual/link2.stl", "visual/link2_gone.stl", r"link 'link2': mesh '[^']*link2_gone.stl' not found"),
        (
            '<mesh filename="package://xarm_description/meshes/xarm6/visual/link2.stl"/>',
            "<mesh/>",
            "link 'link2': mesh '' not found",
        ),
    ],
    ids=["missing-file", "no-filename"],
)
def test_a_mesh_that_cannot_be_found_on_an_arm_with_a_tool_past_its_flange_names_its_link(
    tmp_path, old, new, message
):
    """The arm's own model, without the links past the flange, resolves each kept link's meshes: one it
    cannot find (a wrong path, or a <mesh> that names no file) is refused naming the link and the file."""
    path = _xarm_copy(tmp_path, old, new)
    path.write_text(path.read_text().replace("</robot>", TOOL_PAST_FLANGE))
    with pytest.raises(RobotFileError, match=message):
        gym.make(SUCTION, robot=str(path), flange_link="link6")


def test_a_files_joint_damping_is_capped_at_the_moving_links_inertia_per_physics_step(tmp_path):
    """The xArm6's file states 1.0 N m s/rad of damping on every joint (here with every joint's friction
    set to 0, a different number): where that exceeds I / dt (I the moving link's smallest
    principal moment, dt the physics step) the joint is capped at I / dt, and the pair is reported."""
    path = _xarm_copy(tmp_path)
    path.write_text(path.read_text().replace('friction="1.0"', 'friction="0.0"'))
    stated = {
        j.get("name"): float(j.find("dynamics").get("damping"))
        for j in ET.parse(path).iter("joint")
        if j.find("dynamics") is not None
    }
    env = gym.make(SUCTION, robot=str(path), flange_link="link6")
    robot = env.unwrapped.robot
    body, cid, dt = robot.body, robot.sim.client, robot.sim.timestep
    capped = 0
    for joint in robot.arm_joints:
        info = pb.getJointInfo(body, joint, physicsClientId=cid)
        damping, limit = (
            stated[info[1].decode()],
            min(pb.getDynamicsInfo(body, joint, physicsClientId=cid)[2]) / dt,
        )
        assert (
            robot.damping_caps.get(joint) == (pytest.approx(damping), pytest.approx(limit))
            if damping > limit
            else joint not in robot.damping_caps
        )
        capped += damping > limit
    env.close()
    assert capped > 0


@pytest.mark.parametrize(("lower", "upper", "heading"), [(0.5, 2.5, np.pi / 2), (-2.5, -0.5, -np.pi / 2)])
def test_an_arm_resting_turned_by_a_quarter_turn_turns_its_tool_as_commanded(tmp_path, lower, upper, heading):
    """The xArm6 with its last joint held to 0.5-2.5 rad rests with the flange turned pi/2 (nearest the
    middle of that range), held to -2.5 to -0.5 rad turned -pi/2; a yaw command of 0.3 rad then turns the
    tool 0.3 rad from that rest heading."""
    path = _xarm_copy(tmp_path)
    text = path.read_text()
    last = text.index('<joint name="joint6"')
    full_turn = 'lower="-6.28318530718" upper="6.28318530718"'
    path.write_text(text[:last] + text[last:].replace(full_turn, f'lower="{lower}" upper="{upper}"', 1))
    env = gym.make("Robo2DKukaJawPickPlace-v0", robot=str(path), flange_link="link6")
    env.reset(seed=0)
    arm = env.unwrapped.robot
    assert arm.heading == pytest.approx(heading)
    turn = np.zeros(env.action_space.shape, np.float32)
    turn[3] = 0.15 / arm.max_yaw_step
    for action in [turn, turn] + [np.zeros_like(turn)] * 25:
        env.step(action)
    assert arm.yaw == pytest.approx(0.3, abs=0.02)
    env.close()


FACES = [  # (push direction, the TCP target's coordinate there): the Kuka's area x 0.45-0.65, y +-0.15 m,
    # widened 15 cm back, 5 cm front and 10 cm each side; the suction tool's TCP from 4.5 cm up to 35 cm
    ((-1, 0, 0), 0, 0.30),
    ((1, 0, 0), 0, 0.70),
    ((0, -1, 0), 1, -0.25),
    ((0, 1, 0), 1, 0.25),
    ((0, 0, -1), 2, 0.045),
    ((0, 0, 1), 2, 0.35),
]


@pytest.mark.parametrize(("push", "axis", "face"), FACES)
def test_the_tcp_is_steered_inside_its_box_and_observed_with_room_past_it(push, axis, face):
    """Pushed one way for 80 steps, the TCP target stops at the box's face; the observation's TCP
    bounds are that box widened by 10 cm, so a TCP that overshoots or is pushed stays inside them."""
    env = gym.make(SUCTION)
    env.reset(seed=0)
    arm = env.unwrapped.robot
    for _ in range(80):
        env.step(np.array([*push, -1.0], np.float32))
    assert arm.tcp_target[axis] == pytest.approx(face)
    tcp = next(p for p in env.unwrapped.observation_layout.parts if p.name == "tcp")
    assert tcp.low == pytest.approx((0.2, -0.35, -0.055)) and tcp.high == pytest.approx((0.8, 0.35, 0.45))
    env.close()


def test_renders_look_at_a_point_20_cm_behind_the_table_areas_centre():
    """The Kuka's area is centred 0.55 m ahead, so frames and the GUI aim at x = 0.35 m, 25 cm up: the
    arm's base and the whole area in view."""
    env = gym.make(SUCTION)
    assert env.unwrapped.camera == {"target": (0.35, 0.0, 0.25), "distance": 1.5, "yaw": 50.0, "pitch": -25.0}
    env.close()


@pytest.mark.parametrize("robot", sorted(SHIPPED_ARMS))
def test_every_shipped_arm_reads_its_joint_limits_from_its_file_to_the_mrad(robot):
    """The limits IK and the tool's heading work within are the URDF's, joint by joint from the base,
    rounded to 1 mrad: read here from the file itself (its revolute joints, in the order written)."""
    env = gym.make(SUCTION, robot=robot)
    arm = env.unwrapped.robot
    root = ET.parse(Path(pybullet_data.getDataPath()) / SHIPPED_ARMS[robot].model).getroot()
    limits = [j.find("limit").attrib for j in root.iter("joint") if j.get("type") == "revolute"]
    assert arm.lower == tuple(round(float(limit["lower"]), 3) for limit in limits)
    assert arm.upper == tuple(round(float(limit["upper"]), 3) for limit in limits)
    env.close()


def test_a_joint_whose_file_states_no_effort_gets_a_50_n_m_motor(tmp_path):
    """PyBullet reads a missing effort limit as 0, a motor with no force: such a joint gets 50 N m (the
    robots page), and every other joint keeps its file's effort, however small: the xArm6's 50, 50, 32,
    32, 32, 20 with its last joint's made 0 and its third's 0.5 N m here."""
    path = _xarm_copy(tmp_path, 'effort="20.0"', 'effort="0"')
    path.write_text(path.read_text().replace('effort="32.0"', 'effort="0.5"', 1))
    env = gym.make(SUCTION, robot=str(path), flange_link="link6")
    assert env.unwrapped.robot.model_forces == [50.0, 50.0, 0.5, 32.0, 32.0, 50.0]
    env.close()


def test_a_continuous_joint_gets_a_whole_turn_either_way_for_ik(tmp_path):
    """A continuous joint states no limits (PyBullet reads them as lower 0 > upper -1): the arm gives it
    -2 pi to 2 pi, to the mrad, like the xArm6's fourth joint, whose file states those limits."""
    path = _xarm_copy(tmp_path)
    head, joint4 = path.read_text().split('<joint name="joint4" type="revolute">')
    limits = 'lower="-6.28318530718" upper="6.28318530718" '
    assert limits in joint4
    path.write_text(f'{head}<joint name="joint4" type="continuous">{joint4.replace(limits, "", 1)}')
    env = gym.make(SUCTION, robot=str(path), flange_link="link6")
    arm = env.unwrapped.robot
    assert (arm.lower[3], arm.upper[3]) == (-6.283, 6.283)
    env.close()


def test_a_shipped_arm_takes_another_flange_link_by_name():
    """``flange_link=`` moves the tool of a shipped arm too: the Panda's goes on ``panda_link7`` (its 7
    joints to it) and the env resets; on the xArm6's fifth link it is refused for the joints it leaves
    (5 of the 6 a tool-down pose needs), named in the message."""
    env = gym.make(SUCTION, robot="panda", flange_link="panda_link7")
    arm = env.unwrapped.robot
    name = pb.getJointInfo(arm.body, arm.flange_link, physicsClientId=arm.sim.client)[12]
    assert (name, len(arm.arm_joints)) == (b"panda_link7", 7)
    env.reset(seed=0)
    env.close()
    with pytest.raises(
        RobotFileError, match=r"xarm6_robot.urdf: 5 revolute joints between 'world' and 'link5'"
    ):
        gym.make(SUCTION, robot="xarm6", flange_link="link5")


def test_a_robot_that_is_neither_a_name_nor_a_path_is_refused_with_the_choices():
    message = "robot= takes a shipped arm's name ['kuka', 'panda', 'xarm6'] or a URDF path, got 7"
    with pytest.raises(TypeError, match=re.escape(message)):
        gym.make(SUCTION, robot=7)
