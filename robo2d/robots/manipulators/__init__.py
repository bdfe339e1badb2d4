"""Pick-and-place arms: any 6/7-DoF arm read from its file, its reach, the shipped arms, the tools."""
