"""The run's live view on stderr: a progress bar over the suite's turns and a per-tag tally
of passing turns (a turn passes when the mean of its scores is at least 0.5), updated as
each turn is scored. stdout stays clean for the tables printed at the end."""

from __future__ import annotations

from types import TracebackType

from rich.console import Group
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.output import err_console
from evals.answers.records import TurnResult

PASS_AT = 0.5


def turn_passes(result: TurnResult) -> bool | None:
    """None: the turn had nothing to score."""
    if not result.scores:
        return None
    return sum(result.scores.values()) / len(result.scores) >= PASS_AT


class LiveTally:
    def __init__(self, total_turns: int, label: str) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
        )
        self._task = self._progress.add_task(label, total=total_turns)
        self._tally: dict[str, list[int]] = {}  # tag -> [passed, scored]
        self._live = Live(self._view(), console=err_console, refresh_per_second=4, transient=False)

    def _table(self) -> Table:
        table = Table(title="pass / total by tag (mean score >= 0.5)", title_justify="left")
        table.add_column("tag")
        table.add_column("pass", justify="right")
        table.add_column("total", justify="right")
        for tag in sorted(self._tally):
            passed, scored = self._tally[tag]
            table.add_row(tag, str(passed), str(scored))
        return table

    def _view(self) -> Group:
        return Group(self._progress, self._table())

    def __call__(self, result: TurnResult) -> None:
        passed = turn_passes(result)
        if passed is not None:
            for tag in result.tags:
                counts = self._tally.setdefault(tag, [0, 0])
                counts[0] += int(passed)
                counts[1] += 1
        self._progress.advance(self._task)
        self._live.update(self._view())

    def __enter__(self) -> LiveTally:
        self._live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._live.stop()
        if not err_console.is_terminal:
            err_console.line()  # the last frame ends without one off a terminal
