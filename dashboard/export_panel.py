"""Export: the run's data as CSV (downloaded from the page); the charts' PNGs come from the
save icon ECharts draws at the top right of each chart."""

from __future__ import annotations

import solara

from .state import TabState


def _safe(make_text, what: str):
    """A download callback that returns an explanation instead of raising (no traceback on the page)."""
    def produce() -> str:
        try:
            return make_text()
        except Exception as exc:  # pragma: no cover - shown in the downloaded file
            return f"# could not export the {what}: {exc}\n"
    return produce


@solara.component
def ExportPanel(state: TabState):
    state.run_id.value  # the file names follow the scenario and seed
    session = state.session
    stem = session.file_stem()
    # stable callbacks (made once per session), so the buttons are not rebuilt on every render
    producers = solara.use_memo(lambda: {
        "indicators": _safe(session.indicators_csv, "indicators"),
        "regions": _safe(session.regions_csv, "regions"),
        "events": _safe(session.events_csv, "event log"),
        "comparison": _safe(session.comparison_csv, "comparison"),
    }, [session])
    with solara.Card("Export", margin=0, classes=["sc-card", "sc-export"]):
        with solara.Row(style={"flex-wrap": "wrap", "gap": "6px"}):
            solara.FileDownload(producers["indicators"], f"{stem}_indicators.csv", label="Indicators CSV",
                                mime_type="text/csv")
            solara.FileDownload(producers["regions"], f"{stem}_regions.csv", label="Regions CSV",
                                mime_type="text/csv")
            solara.FileDownload(producers["events"], f"{stem}_events.csv", label="Event log CSV",
                                mime_type="text/csv")
            solara.FileDownload(producers["comparison"], f"{stem}_comparison.csv", label="Comparison CSV",
                                mime_type="text/csv")
        solara.Text("Charts: the save icon (↓) at the top right of each chart saves it as a PNG.",
                    style={"font-size": "0.85em"})
