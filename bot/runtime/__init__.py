"""The composition root: building the real parts from settings (wiring), the scheduled jobs
(governance) and when they run (scheduler)."""
