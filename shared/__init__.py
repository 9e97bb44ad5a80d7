"""Pure rules that the write side (application/) and the read side (projections/) both apply.
Imports nothing of ours."""
