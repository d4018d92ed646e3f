"""Delivery of the terminal's visit events to the hub: network push and USB bundles."""
