// A broadcast's delivery, live: the figures of the page are asked for again every two
// seconds until nothing is left to send. Served from the back-office itself (the
// Content-Security-Policy allows no other script); without it the page reloads itself.
"use strict";
(function () {
  const section = document.getElementById("progress");
  if (!section || section.dataset.finished) return;
  const show = (name, value) => {
    const element = document.getElementById("progress-" + name);
    if (element) element.textContent = String(value);
  };
  async function refresh() {
    try {
      const response = await fetch(section.dataset.source, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const figures = await response.json();
      for (const name of ["sent", "pending", "waiting", "failed", "unreachable", "total", "percent"]) {
        show(name, figures[name]);
      }
      const bar = document.getElementById("progress-bar");
      bar.max = Math.max(figures.total, 1);
      bar.value = figures.sent;
      if (figures.finished) {
        const state = document.getElementById("progress-state");
        state.textContent = state.dataset.done;
        section.dataset.finished = "1";
        return;
      }
    } catch (error) {
      // The server is restarting or the network is down: try again on the next tick.
    }
    window.setTimeout(refresh, 2000);
  }
  window.setTimeout(refresh, 2000);
})();
