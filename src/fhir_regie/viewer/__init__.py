"""The read-only viewer for GPs and youth health care (docs/render.md): a SMART app that shows
the household plans the launching organisation may see, through the disclosure guard, and
records every view as a ``regie-disclosure`` AuditEvent; ``fhir-regie audit`` lists them."""
