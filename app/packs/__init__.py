"""Content packs as `.hpack` archives: manifest, Ed25519 signatures, atomic install and rollback,
USB discovery and the admin PIN. No Qt here: the CLI, the tests and the admin screens share it.

Modules: `errors` (exception classes), `manifest` (file list with sizes and SHA-256), `signing`
(keys and signatures), `archive` (build, sign, inspect, verify), `state` (the `active.json`
pointer and the install lock), `install` (install, rollback, remove, list, cleanup), `usb`
(finding packs on removable media), `pin` (admin PIN hash and lockout).
"""
