"""robo2d: PyBullet robot-learning environments with the Gymnasium API.

Importing robo2d registers every id in ``ENV_IDS``. ``gym.make("robo2d:Robo2DReacher-v0")`` imports
robo2d itself, which is how fresh processes (e.g. SubprocVecEnv workers) find the ids.
"""

from robo2d.catalog import ENV_IDS, ENV_SUMMARIES, register_envs

__version__ = "0.1.0"
__all__ = ["ENV_IDS", "ENV_SUMMARIES", "__version__"]

register_envs()
