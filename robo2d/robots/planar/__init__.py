"""Planar arms from any fitting URDF: the arm, its kinematics and model, the parts an id builds, its
step response."""
