"""Who a journey is for: the audience filter model (conditions on attributes, events in a window, date
attributes) and its compilation to SQL. Saved segments will grow from here."""
