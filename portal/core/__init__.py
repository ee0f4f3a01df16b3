"""Cross-cutting services shared by every area: rules worded for people, and other helpers no single area owns."""
