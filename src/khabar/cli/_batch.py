"""khabar batch, and the --workers option of ingest and extract.

Thin: the engines, the rows and the loading live in ``khabar.batch``; pyspark is
imported there, and only for ``--engine spark``.
"""

from typing import Annotated

import typer
from rich.markup import escape

from ._app import DocTimeoutOption, ModelOption, _handles_errors, _settings, app, out

WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="Processes reading and extracting side by side, each with the model loaded "
        "once and the --doc-timeout budget; one process writes the database, so the "
        "result is the same for any number (default: the number of cores).",
        min=1,
        show_default=False,
    ),
]


def workers_or_default(workers: int | None) -> int:
    from ..batch import default_workers

    return workers or default_workers()


@app.command("batch")
@_handles_errors
def batch_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="JSONL, Parquet or WARC files (or folders of them; any type `ingest` "
            "reads works with the local engine and with Spark).",
            show_default=False,
        ),
    ],
    out_to: Annotated[
        str,
        typer.Option(
            "--out",
            help="A folder (gets rows/*.parquet, khabar.duckdb and incidents.parquet) or a "
            "database (x.duckdb, or a URL the store knows).",
            show_default=False,
        ),
    ],
    engine: Annotated[
        str, typer.Option("--engine", help="local (a process pool) or spark.")
    ] = "local",
    master: Annotated[
        str,
        typer.Option(
            "--master",
            help="Spark master: local[2], spark://HOST:7077, yarn, k8s://https://HOST:443.",
        ),
    ] = "local[2]",
    workers: WorkersOption = None,
    partitions: Annotated[
        int | None,
        typer.Option(help="Spark: extraction tasks (default 4 per core).", min=1),
    ] = None,
    model: ModelOption = None,
    doc_timeout: DocTimeoutOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as one JSON object.")
    ] = False,
) -> None:
    """Read, clean and extract a corpus with an engine (local process pool or Spark),
    then store the articles and records and resolve the incidents.

    Exit code 1 when some inputs failed; the rest are stored all the same.
    """
    from .._extras import require
    from ..batch._driver import BatchOptions, dumps, run_batch, summary_lines

    # Rows travel as Parquet whatever the engine; Spark adds pyspark (and pandas).
    require("pyarrow", "parquet", "khabar batch")
    if engine.lower() == "spark":
        require("pyspark", "spark", "khabar batch --engine spark")
        require("pandas", "spark", "khabar batch --engine spark")
    settings = _settings(None, model=model, doc_timeout=doc_timeout)
    summary = run_batch(
        inputs,
        out_to,
        options=BatchOptions(
            engine=engine,
            master=master,
            workers=workers_or_default(workers),
            partitions=partitions,
        ),
        ingest=settings.ingest,
        extract=settings.extract,
    )
    if as_json:
        out.out(dumps(summary), highlight=False)
    else:
        for line in summary_lines(summary):
            out.print(escape(line))
        for failure in summary.failures:
            out.print(
                f"  failed  {escape(failure.locator)}: [{failure.code}] {escape(failure.reason)}"
            )
    if summary.failures:
        raise typer.Exit(1)
