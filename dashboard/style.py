"""The page's CSS: a plain high-contrast look, and a presentation mode for a projector
(larger type, thicker lines, fewer panels) switched by the ``sc-presentation`` class."""

CSS = """
.sc-page { color: #111; padding: 8px 14px; max-width: 1900px; margin: 0 auto; }
.sc-title { font-size: 1.5rem; font-weight: 700; margin: 0; line-height: 1.1; }
.sc-subtitle { font-size: 0.85rem; color: #444; }
.sc-header { align-items: center; flex-wrap: wrap; gap: 12px; justify-content: space-between; }
.sc-year { font-size: 3rem; font-weight: 800; line-height: 1; font-variant-numeric: tabular-nums; }
.sc-progress { font-size: 0.9rem; color: #333; }
.sc-card { padding: 8px 10px !important; margin-bottom: 10px !important; }
.sc-card .v-card__title, .sc-card h3 { font-size: 1.05rem !important; padding: 0 0 4px 0 !important; }
.sc-swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 6px; border: 1px solid #333;
             vertical-align: -0.1em; }
.sc-why-title { font-size: 1.05rem; }
.sc-why-who { font-size: 0.9rem; color: #333; }
.sc-why-text { margin: 6px 0; }
.sc-why-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.sc-why-table td { border-top: 1px solid #ddd; padding: 2px 4px; }
.sc-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.sc-log-box { max-height: 260px; overflow-y: auto; }
.sc-log { list-style: none; padding-left: 0 !important; margin: 0; font-size: 0.9rem; }
.sc-log li { padding: 1px 0; }
.sc-log-event { font-weight: 700; }
.sc-log-more, .sc-log-empty { color: #555; font-style: italic; }
.sc-lever .v-input__slot { margin-bottom: 0 !important; }
.sc-lever .v-label { color: #111 !important; }
.sc-info-panels .v-expansion-panel-header { font-weight: 700; padding: 6px 8px !important;
                                           min-height: 36px !important; }
.sc-info-panels .v-expansion-panel-content__wrap { padding: 0 8px 8px 8px !important; }
.sc-info .v-expansion-panels { max-height: 70vh; overflow-y: auto; display: block; }
.sc-compare-summary { font-weight: 600; }

/* presentation mode: read from the back of a classroom */
.sc-presentation { font-size: 22px; background: #fff; color: #000; }
.sc-presentation .sc-title { font-size: 2.2rem; }
.sc-presentation .sc-year { font-size: 6rem; }
.sc-presentation .sc-progress { font-size: 1.4rem; color: #000; }
.sc-presentation .sc-card .v-card__title, .sc-presentation .sc-card h3 { font-size: 1.6rem !important; }
.sc-presentation .sc-log { font-size: 1.5rem; }
.sc-presentation .sc-log-box { max-height: none; }
.sc-presentation .sc-why-text { font-size: 1.5rem; }
.sc-presentation .v-btn { font-size: 1.2rem !important; }
.sc-presentation .v-label, .sc-presentation .v-select__selection { font-size: 1.3rem !important; }
"""
