"""``dekom-xl scenarios``: the frames under each model of ``Modeller``, headless."""

from __future__ import annotations

from pathlib import Path

from dekom_xl.app.ops import open_allocation
from dekom_xl.app.workbook import regenerate
from dekom_xl.core import tables as T
from dekom_xl.core.engine import Outcome
from dekom_xl.core.problems import problem


def run_scenarios(path: Path) -> Outcome:
    """Compute every model's frames, rewrite the tool sheets (``Modellrammer`` among them) and
    save. A workbook without the table ``Modeller`` is left as it is, with a located problem."""
    wb = open_allocation(Path(path))
    outcome = regenerate(wb)
    if outcome.scenarios is None:
        outcome.problems.append(problem("scenario-table-missing", file=wb.file_name,
                                        sheet=T.S_SCENARIOS, table=T.MODELS))
        return outcome
    wb.save()
    return outcome


def as_dict(outcome: Outcome) -> dict:
    """The ``--json`` object: problems, and per model its frames and sum."""
    sc = outcome.scenarios
    models = []
    if sc is not None:
        for m in sc.models:
            frames = sc.frames[m.name]
            models.append({"model": m.name, "base_grant": m.base_grant, "key": m.describe(),
                           "floor": m.floor, "total": sum(frames.values()),
                           "frames": [{"network": n, "frame": frames[n],
                                       "difference": frames[n] - sc.current.get(n, 0)}
                                      for n in sc.networks]})
    return {"problems": [p.as_dict() for p in outcome.problems],
            "pool": sc.pool if sc else None,
            "current": [{"network": n, "frame": sc.current.get(n, 0)} for n in sc.networks]
            if sc else [],
            "models": models}
