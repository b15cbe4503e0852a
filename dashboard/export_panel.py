"""Export: the run's data as CSV (downloaded from the page), the lesson sheet to print, and a
reminder that each chart has its own "Save PNG" button (titled with scenario, seed and quarter)."""

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
def ExportPanel(state: TabState, on_sheet=None):
    tr = state.tr
    state.run_id.value  # the file names follow the scenario and seed
    state.lang.value
    session = state.session
    stem = session.file_stem()
    # stable callbacks (made once per session), so the buttons are not rebuilt on every render
    producers = solara.use_memo(lambda: {
        "indicators": _safe(session.indicators_csv, "indicators"),
        "regions": _safe(session.regions_csv, "regions"),
        "events": _safe(session.events_csv, "event log"),
        "comparison": _safe(session.comparison_csv, "comparison"),
    }, [session])
    with solara.Card(tr("export.title_card"), margin=0, classes=["sc-card", "sc-export"]):
        with solara.Row(style={"flex-wrap": "wrap", "gap": "6px"}):
            for key in ("indicators", "regions", "events", "comparison"):
                solara.FileDownload(producers[key], f"{stem}_{key}.csv", label=tr(f"export.{key}"),
                                    mime_type="text/csv")
        if on_sheet is not None:
            solara.Button(tr("sheet.make"), icon_name="mdi-file-document-outline", on_click=on_sheet, outlined=True,
                          classes=["sc-sheet-make"])
        solara.Text(tr("export.png_hint"), style={"font-size": "0.85em"})
