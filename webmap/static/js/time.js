// The time slider: the map as of the end of a year (2015 → 2025, the years the documents speak
// of), with play. Markers take the status each project had then (its status_timeline); those no
// document had mentioned yet are faded.

import {esc, t} from "./i18n.js";

export const PLAY_STEP_MS = 1200;

export class TimeSlider {
  constructor(app, el) {
    this.app = app;
    this.el = el;
    this.timer = null;
    [this.first, this.last] = app.config.years;
  }

  render() {
    const year = this.app.store.get().year;
    if (this.app.comparison?.active) {
      // Side by side, each map shows the statuses its own document states: no year applies.
      this.el.innerHTML = "";
      return;
    }
    this.el.innerHTML = `<div class="zm-time">
      <button type="button" class="zm-button zm-play" aria-label="${esc(t("play"))}">${this.timer ? "⏸" : "▶"}</button>
      <input type="range" class="zm-year" min="${this.first}" max="${this.last + 1}" step="1"
        value="${year ?? this.last + 1}" aria-label="${esc(t("time"))}">
      <output class="zm-year-label">${esc(year ? t("year_label", {year}) : t("year_now"))}</output></div>
      <div class="zm-ticks"><span>${this.first}</span><span>${this.last}</span><span>${esc(t("year_now"))}</span></div>`;
    const input = this.el.querySelector(".zm-year");
    // The slider's last stop is "now" (no year): the current status.
    input.addEventListener("input", () => this.setYear(+input.value > this.last ? null : +input.value));
    this.el.querySelector(".zm-play").addEventListener("click", () => (this.timer ? this.stop() : this.play()));
  }

  setYear(year) {
    this.app.store.set({year});
    const label = this.el.querySelector(".zm-year-label");
    if (label) label.textContent = year ? t("year_label", {year}) : t("year_now");
    const input = this.el.querySelector(".zm-year");
    if (input && +input.value !== (year ?? this.last + 1)) input.value = year ?? this.last + 1;
  }

  play() {
    const current = this.app.store.get().year;
    this.setYear(current && current < this.last ? current : this.first);
    this.timer = setInterval(() => {
      const y = this.app.store.get().year;
      if (!y || y >= this.last) { this.stop(); return; }
      this.setYear(y + 1);
    }, PLAY_STEP_MS);
    this.render();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.render();
  }
}
