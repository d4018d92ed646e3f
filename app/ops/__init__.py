"""Running unattended: single instance, systemd watchdog, logs, crash-loop safe mode, database recovery, health checks."""
