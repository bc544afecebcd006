"""Interoperation with other platforms: the 110 police platform (12345 与 110 对接)."""
