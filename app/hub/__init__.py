"""The hub server: receives terminals' visit events (network or USB) and shows the whole network."""
