"""Rule-based routing: from what a resident said to the department that owns it."""
