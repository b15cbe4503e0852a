"""The page's CSS: a plain high-contrast look; a presentation mode for a projector (larger type,
black text, the controls on one line) switched by the ``sc-presentation`` class; narrow screens
(a phone: one column, nothing wider than the screen, tiles large enough to touch); and the print
stylesheet of the lesson sheet."""

CSS = """
.sc-page { color: #111; padding: 8px 14px; max-width: 1900px; margin: 0 auto; box-sizing: border-box;
           width: 100%; overflow-wrap: anywhere; }
.sc-page * { box-sizing: border-box; }
.sc-title { font-size: 1.5rem; font-weight: 700; margin: 0; line-height: 1.1; }
.sc-subtitle { font-size: 0.85rem; color: #333; }
.sc-header { align-items: center; flex-wrap: wrap; gap: 12px; justify-content: space-between; }
.sc-modes .v-input--switch { margin-top: 0; padding-top: 0; }
.sc-modes .v-input__slot { margin-bottom: 0 !important; }
.sc-modes .v-messages { display: none; }
.sc-year { font-size: 3rem; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums; }
.sc-year-past { color: #7a3e00; }
.sc-progress { font-size: 0.9rem; color: #222; }
.sc-card { padding: 8px 10px !important; margin-bottom: 10px !important; }
.sc-card .v-card__title, .sc-card h3 { font-size: 1.05rem !important; padding: 0 0 4px 0 !important;
                                       word-break: normal !important; overflow-wrap: normal; hyphens: auto; }
.sc-swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 6px; border: 1px solid #333;
             vertical-align: -0.1em; }
.sc-sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
              clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
.sc-skip { position: absolute; left: -9999px; }
.sc-skip:focus { left: 8px; top: 8px; z-index: 1000; background: #fff; padding: 6px 10px; border: 2px solid #000; }
.sc-controls .v-input { flex: 0 0 auto; }
.sc-scenario-box { min-width: 220px; max-width: 340px; flex: 1 1 260px; }
.sc-seed { max-width: 150px; }
.sc-seed .v-messages__message { line-height: 1.2; }
.sc-speed-buttons .v-btn { min-width: 34px !important; }
.sc-save { font-size: 0.8rem; border: 1px solid #555; border-radius: 4px; padding: 1px 8px; background: #fff;
           color: #111; cursor: pointer; }
.sc-save:focus-visible, .sc-live-chart:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.sc-chart-tools { display: flex; justify-content: flex-end; margin-bottom: 2px; }
.sc-chart-box { position: relative; width: 100%; }

/* the map: a key above it; on a narrow screen the map scrolls sideways in its own box */
.sc-map-key { list-style: none; padding: 0 !important; margin: 0 0 4px 0; display: flex; flex-wrap: wrap; gap: 4px 16px;
              font-size: 0.95rem; }
.sc-letter { display: inline-block; min-width: 1.1em; }
.sc-republic-key { font-size: 0.85rem; gap: 2px 12px; }
.sc-rep-sample { display: inline-block; font-weight: bold; font-size: 0.8rem; padding: 0 3px; border-radius: 2px;
                 border: 1.5px solid transparent; }
.sc-rep-1 { background: #fff; border: 1.5px dashed #000; box-shadow: 0 0 0 2px #CC79A7; }
.sc-rep-2 { background: #000; color: #fff; border-color: #000; }
.sc-allegiance-mark { vertical-align: -0.1em; }
.sc-log-declaration, .sc-log-dissolution { font-weight: bold; }
.sc-map-scroll { width: 100%; }

/* why: sentences and bars */
.sc-why-title { font-size: 1.05rem; }
.sc-why-who { font-size: 0.9rem; color: #222; }
.sc-why-text { margin: 6px 0; color: #111; }
.sc-why-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.sc-why-table th { text-align: left; font-weight: 400; padding: 3px 6px 3px 0; width: 42%; }
.sc-why-table td { padding: 3px 4px; }
.sc-why-table tr { border-top: 1px solid #ddd; }
.sc-bar-cell { width: 38%; }
.sc-bar-words { white-space: nowrap; font-size: 0.85rem; }
.sc-bar { position: relative; display: block; height: 14px; background: #eee; border: 1px solid #888; }
.sc-bar-fill { display: block; height: 100%; }
.sc-bar-mark { position: absolute; top: -3px; bottom: -3px; width: 3px; background: #000; margin-left: -1px; }
.sc-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }

/* the log, the events' key */
.sc-log-box { max-height: 260px; overflow-y: auto; }
.sc-log { list-style: none; padding-left: 0 !important; margin: 0; font-size: 0.9rem; color: #111; }
.sc-log li { padding: 1px 0; }
.sc-log-event { font-weight: 700; }
.sc-log-more, .sc-log-empty { color: #333; font-style: italic; }
.sc-event-key { font-size: 0.85rem; margin: 2px 0 6px 0; }
.sc-event-key summary { cursor: pointer; font-weight: 600; }
.sc-event-key ol { list-style: none; padding-left: 0 !important; margin: 2px 0; columns: 2 260px; column-gap: 18px; }
.sc-event-key li { break-inside: avoid; padding: 1px 0; }
.sc-event-number { display: inline-block; min-width: 1.6em; font-weight: 700; text-align: right; margin-right: 4px; }
.sc-event-date { font-variant-numeric: tabular-nums; white-space: nowrap; margin-right: 4px; }
.sc-event-future { color: #555; }

.sc-lever .v-input__slot { margin-bottom: 0 !important; }
.sc-lever .v-label { color: #111 !important; }
.sc-info-panels .v-expansion-panel-header { font-weight: 700; padding: 6px 8px !important;
  min-height: 36px !important; }
.sc-info-panels .v-expansion-panel-content__wrap { padding: 0 8px 8px 8px !important; }
.sc-info .v-expansion-panels { max-height: 70vh; overflow-y: auto; display: block; }
.sc-compare-summary, .sc-band-summary { font-weight: 600; }
.sc-history-table { border-collapse: collapse; font-size: 0.85rem; width: 100%; }
.sc-history-table th, .sc-history-table td { border-top: 1px solid #ddd; padding: 2px 4px; text-align: left; }
.sc-timeline-status { font-size: 0.9rem; }
.sc-history-toggle { text-transform: none !important; white-space: normal !important; height: auto !important;
                     min-height: 36px; text-align: left; letter-spacing: normal !important; }
.sc-history-toggle .v-btn__content { white-space: normal; flex: 1 1 auto; }

/* the lesson's pause: large, for a projector */
.sc-lesson-stop { background: #fffbe6 !important; }
.sc-lesson-stop, .sc-lesson-stop span { color: #000 !important; }
.sc-lesson-when { display: block; font-size: 1.1rem; font-weight: 700; color: #333; }
.sc-lesson-event { display: block; font-size: 1.7rem; font-weight: 800; line-height: 1.2; margin: 4px 0; }
.sc-lesson-question { display: block; font-size: 1.5rem; line-height: 1.3; margin: 10px 0; }
.sc-lesson-note { display: block; font-size: 1rem; background: #fff; border-left: 4px solid #0072B2; padding: 6px 10px;
                  margin-top: 6px; }

/* presentation mode: read from the back of a classroom */
.sc-presentation { font-size: 20px; background: #fff; color: #000; padding-top: 4px; }
.sc-presentation .sc-title { font-size: 1.4rem; }
.sc-presentation .sc-year { font-size: 2.6rem; }
.sc-presentation .sc-progress { font-size: 1rem; color: #000; }
.sc-presentation .sc-header { gap: 8px; }
.sc-presentation .sc-card .v-card__title, .sc-presentation .sc-card h3 { font-size: 1.3rem !important; }
.sc-presentation .sc-log { font-size: 1.2rem; color: #000; }
.sc-presentation .sc-log-box { max-height: none; }
.sc-presentation .sc-why-text { font-size: 1.1rem; color: #000; line-height: 1.3; margin: 2px 0; }
.sc-presentation .sc-map-key { font-size: 1.05rem; margin-bottom: 2px; }
.sc-presentation .sc-event-key { font-size: 1rem; color: #000; }
.sc-presentation .sc-event-future { color: #333; }
.sc-presentation .v-btn { font-size: 1.05rem !important; }
.sc-presentation .v-label, .sc-presentation .v-select__selection { font-size: 1.1rem !important;
  color: #000 !important; }
.sc-presentation .sc-lesson-event { font-size: 2.2rem; }
.sc-presentation .sc-chart-tools { display: none; }  /* exports from the normal page */
.sc-presentation .sc-event-key ol { max-height: 24vh; overflow-y: auto; }
.sc-presentation .sc-title-box { gap: 2px; }
.sc-presentation .sc-modes { gap: 10px !important; font-size: 0.8rem; }
.sc-presentation .sc-modes .v-label { font-size: 0.9rem !important; }
.sc-presentation .sc-region-panel .v-card__title { padding-bottom: 0 !important; }
.sc-presentation .sc-lesson-question { font-size: 2rem; }

/* narrow screens (a phone) */
@media (max-width: 600px) {
  .sc-page { padding: 4px 6px; }
  .sc-card { padding: 6px 6px !important; }
  .sc-year { font-size: 2.2rem; }
  .sc-map-scroll { overflow-x: auto; }
  .sc-map { min-width: 414px; }  /* tiles of 18 px: the map scrolls sideways in its box */
  .sc-scenario-box { max-width: 100%; }
  .sc-why-table th { width: 36%; }
}

/* the lesson sheet: on screen a preview; printed, the only thing on the page */
.sc-sheet-box { border: 2px solid #000; padding: 10px; background: #fff; margin-bottom: 10px; }
.sc-sheet { font-size: 11px; color: #000; max-width: 190mm; margin: 0 auto; }
.sc-sheet h1 { font-size: 17px; margin: 0 0 2px 0; }
.sc-sheet h2 { font-size: 12px; margin: 6px 0 2px 0; }
.sc-sheet p { margin: 1px 0; }
.sc-sheet-link span { font-family: monospace; font-size: 9px; word-break: break-all; }
.sc-sheet-row { display: flex; gap: 6px; justify-content: space-between; }
.sc-sheet-row svg { flex: 1 1 0; min-width: 0; height: auto; }
.sc-sheet-key { display: flex; gap: 14px; }
.sc-sheet-bottom { display: flex; gap: 14px; }
.sc-sheet-bottom > div { flex: 1 1 0; }
.sc-sheet-events { padding-left: 0; margin: 0; list-style: none; font-size: 9.5px; }
.sc-sheet-questions { padding-left: 16px; margin: 0; }
.sc-sheet-answer { height: 24px; border-bottom: 1px solid #999; margin-bottom: 2px; }
.sc-sheet footer { font-size: 8.5px; color: #333; margin-top: 4px; }
@media print {
  @page { size: A4 portrait; margin: 10mm; }
  .sc-has-sheet > *:not(.sc-sheet-box), .sc-sheet-tools, .sc-sheet-box .v-btn { display: none !important; }
  .sc-has-sheet .sc-sheet-box { border: none; padding: 0; margin: 0; }
  .sc-save, .sc-chart-tools { display: none !important; }
  .sc-page { max-width: none; padding: 0; }
  .sc-sheet { page-break-inside: avoid; break-inside: avoid; }
}
"""
