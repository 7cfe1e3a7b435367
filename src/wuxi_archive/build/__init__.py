"""The build: every seed through the per-seed stages on an executor, then index and render.

- executor.py: where the per-seed map runs (here, a local process pool, a Dask cluster);
- seeds.py: each seed's outcome, from the store or processed as a job;
- store.py: the SQLite store beside the output folder;
- stamp.py: what the last build wrote, to stop early when nothing changed;
- site.py: the whole build, from the seeds folder to the site.
"""
from .site import BuildResult, SidecarErrors, build_site, readings_version, triage_outcomes

__all__ = ["BuildResult", "SidecarErrors", "build_site", "readings_version", "triage_outcomes"]
