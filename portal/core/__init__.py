"""Cross-cutting services every area uses: audit log, outbox, clock, uploads, CSV, signing, errors.

Core sits below the areas and above the models: it never imports an area or Flask's request.
"""
