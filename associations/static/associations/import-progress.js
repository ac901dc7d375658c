// The import job's progress bar: asks the status URL every 1.5 s and moves the bar; when the
// job is no longer running, reloads the page, which then shows the preview or the result.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var done = box.querySelector(".done");
  var total = box.querySelector(".total");
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { setTimeout(poll, 3000); return; }
        if (!state.running) { window.location.reload(); return; }
        if (state.total) { bar.max = state.total; total.textContent = state.total; }
        bar.value = state.done;
        done.textContent = state.done;
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
