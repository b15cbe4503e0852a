"""The classroom pages' CSS: phone-first student pages (large buttons, one column), and a teacher
page that reads from the back of the room on a projector (the join code and the quarter in very
large type). The print rules leave only the debrief's content on paper."""

CSS = """
.cl-page { color: #111; padding: 10px 14px; margin: 0 auto; }
.cl-student { max-width: 560px; font-size: 17px; }
.cl-teacher { max-width: 1900px; }
.cl-title { font-size: 1.3rem; font-weight: 700; }
.cl-muted { color: #444; font-size: 0.9em; }
.cl-who { font-size: 1.15rem; font-weight: 600; line-height: 1.3; }
.cl-period { white-space: nowrap; font-size: 2.2rem; font-weight: 800; line-height: 1.05;
             font-variant-numeric: tabular-nums; }
.cl-teacher .cl-period { font-size: 3.4rem; }
.sc-countdown-box { font-size: 1.8rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.sc-countdown-low { color: #D55E00; }
.cl-choices { display: flex; flex-direction: column; gap: 8px; }
.cl-choice { display: flex; flex-direction: column; align-items: flex-start; width: 100%; min-height: 64px;
             padding: 10px 14px; border: 0; border-radius: 6px; color: #fff; text-align: left; cursor: pointer;
             box-shadow: 0 1px 3px rgba(0,0,0,0.35); font: inherit; }
.cl-choice:active { transform: translateY(1px); }
.cl-choice:disabled { opacity: 0.5; cursor: default; }
.cl-choice-label { font-size: 1.25rem; font-weight: 700; }
.cl-choice-hint { font-size: 0.85rem; }
.cl-chosen { outline: 4px solid #000; outline-offset: 2px; }
.cl-note { border-radius: 6px; padding: 8px 12px; margin: 4px 0; border: 1px solid; }
.cl-note-info { background: #e8f1fb; border-color: #0072B2; color: #00466e; }
.cl-note-warning { background: #fff4dc; border-color: #B36B00; color: #6b4000; }
.cl-note-error { background: #fde8e0; border-color: #C24E00; color: #7a2e00; font-weight: 600; }
.cl-note-success { background: #e3f5ec; border-color: #009E73; color: #00573f; }
.cl-ask { font-size: 1.05rem; margin-top: 4px; }
.cl-section { background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,0.2); padding: 8px 10px;
              margin-bottom: 10px; }
.cl-section h3 { font-size: 1.05rem; margin: 0 0 4px 0; }
.cl-card { padding: 8px 10px !important; margin-bottom: 10px !important; }
.cl-card .v-card__title, .cl-card h3 { font-size: 1.05rem !important; padding: 0 0 4px 0 !important; }
.cl-facts { border-collapse: collapse; width: 100%; }
.cl-facts td { border-top: 1px solid #ddd; padding: 3px 4px; }
.cl-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.cl-swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 6px; border: 1px solid #333;
             vertical-align: -0.1em; }
.cl-neighbours { list-style: none; padding-left: 0 !important; margin: 0; }
.cl-neighbours li { padding: 1px 0; }
.cl-code { font-size: 4rem; font-weight: 800; letter-spacing: 0.12em; line-height: 1;
           font-variant-numeric: tabular-nums; }
.cl-join-url { font-size: 1.3rem; font-weight: 600; word-break: break-all; }
.cl-qr svg { width: 220px; height: 220px; }
.cl-roster { max-height: 520px; overflow: auto; }
.cl-roster table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
.cl-roster td, .cl-roster th { border-top: 1px solid #ddd; padding: 2px 4px; text-align: left; }
.cl-answered { color: #006d4e; font-weight: 700; }
.cl-waiting { color: #8a5a00; }
.cl-offline { color: #888; font-style: italic; }
.cl-grid { border-collapse: collapse; font-size: 0.85rem; }
.cl-grid td, .cl-grid th { border: 1px solid #ccc; padding: 1px 4px; text-align: center; }
.cl-grid td.cl-name { text-align: left; white-space: nowrap; }
.cl-differs { background: #fde8d6; font-weight: 700; }
.cl-missed { color: #777; font-style: italic; }
.cl-table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
.cl-table td, .cl-table th { border-top: 1px solid #ddd; padding: 2px 6px; text-align: left; }
.cl-scroll { overflow-x: auto; }
@media print {
  .cl-no-print, .v-btn, header, nav { display: none !important; }
  .cl-page { max-width: none; }
}
"""
