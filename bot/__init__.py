"""The front ends: the terminal command line and the Discord bot (a thin layer over :mod:`retrieval`)."""
