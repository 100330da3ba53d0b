"""Seed material of the default catalog, one module per contrast (hand-written for this project)."""
