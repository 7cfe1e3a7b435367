"""Where planned pages go to be rendered: here, as they are planned (RenderHere), or to
worker processes (workers.RenderPool); both take the same PageJobs and files to make."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Protocol

from .page_templates import PageJob, PageTemplates
from .site_files import SiteFiles

Chores = Iterable[Iterator[object]]     # the build process's own work, each a generator of steps


class Pages(Protocol):
    """Where planned pages go to render (RenderHere, workers.RenderPool)."""

    def submit(self, job: PageJob) -> None: ...
    def submit_file(self, relpath: str, digest: str | None, make: Callable[..., bytes], *args: object) -> None: ...
    def finish(self) -> None: ...
    def close(self) -> None: ...


class RenderHere:
    """Every page rendered in this process as it is planned; the chores run at `finish`."""

    def __init__(self, templates: PageTemplates, writer: SiteFiles, chores: Chores = ()) -> None:
        self.templates, self._writer, self._chores = templates, writer, chores

    def submit(self, job: PageJob) -> None:
        self._writer.write(job.relpath, self.templates.render(job), digest=job.digest)

    def submit_file(self, relpath: str, digest: str | None, make: Callable[..., bytes], *args: object) -> None:
        """Write the file `make(*args)` gives (a module-level function of plain data)."""
        self._writer.write(relpath, make(*args), digest=digest)

    def finish(self) -> None:
        for steps in self._chores:
            for _ in steps:
                pass

    def close(self) -> None:
        pass
