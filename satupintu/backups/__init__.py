"""Backup and restore: `satupintu backup DIR` and `satupintu restore DIR` (docs/operations.md)."""
