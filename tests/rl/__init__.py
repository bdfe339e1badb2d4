#: a small SAC for bit-for-bit comparisons: few steps before learning, small batches and networks
SMALL_SAC = ["sac.learning_starts=150", "sac.batch_size=64", "sac.policy_kwargs.net_arch=[32,32]"]
