"""The analysts' snapshot asset: the run's last step publishes a read-only copy of the database
(core/snapshot.py does the work)."""
