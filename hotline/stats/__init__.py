"""The three rates (三率), overdue counts and hotspots, per department, org unit and day."""
