"""Deadlines, yellow warnings, red cards and escalation up the levels (红黄牌, 督办)."""
