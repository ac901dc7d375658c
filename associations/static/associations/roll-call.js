// Roll call: every tap is posted at once by htmx. A tap that does not reach the server is kept
// in this phone's storage, shown as not saved, and sent again when the network comes back.
(function () {
  "use strict";
  var list = document.querySelector(".roll");
  if (!list || !window.htmx) return;
  htmx.config.timeout = 8000;
  var KEY = "renfort-roll:" + location.pathname;
  var alertBox = document.getElementById("roll-offline");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function store(pending) {
    try { localStorage.setItem(KEY, JSON.stringify(pending)); } catch (e) { /* private mode */ }
    alertBox.hidden = Object.keys(pending).length === 0;
  }
  function rowOf(node) { return node && node.closest ? node.closest(".roll-row") : null; }
  function enrolmentOf(row) { return row.querySelector("input[name=enrolment]").value; }
  function show(row, status, state) {
    row.querySelectorAll(".tap").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
    row.classList.remove("saving", "unsaved");
    if (state) row.classList.add(state);
    var label = row.querySelector(".saved");
    label.textContent = state === "unsaved" ? list.dataset.unsavedLabel : list.dataset.savingLabel;
  }
  function send(row, status) {
    var form = row.querySelector("form");
    show(row, status, "saving");
    htmx.ajax("POST", form.getAttribute("action"), {
      source: form, target: row, swap: "outerHTML", values: { status: status }
    });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest(".tap");
    var row = rowOf(button);
    if (!row) return;
    var pending = load();
    pending[enrolmentOf(row)] = button.value;
    store(pending);
    show(row, button.value, "saving");
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var row = rowOf(event.detail.elt);
    if (!row && event.detail.target) row = rowOf(event.detail.target);
    if (!row) return;
    var pending = load();
    var id = enrolmentOf(row);
    if (event.detail.successful || (event.detail.xhr && event.detail.xhr.status === 422)) {
      delete pending[id];
      store(pending);
      if (!event.detail.successful) {
        row.classList.remove("saving");
        row.querySelector(".saved").textContent = event.detail.xhr.responseText;
      }
    } else if (pending[id]) {
      show(row, pending[id], "unsaved");
    }
  });
  function retry() {
    var pending = load();
    Object.keys(pending).forEach(function (id) {
      var input = list.querySelector("input[name=enrolment][value='" + id + "']");
      var row = rowOf(input);
      if (row && !row.classList.contains("saving")) send(row, pending[id]);
    });
  }
  window.addEventListener("online", retry);
  setInterval(function () { if (navigator.onLine !== false) retry(); }, 5000);
  var pending = load();
  Object.keys(pending).forEach(function (id) {
    var row = rowOf(list.querySelector("input[name=enrolment][value='" + id + "']"));
    if (row) show(row, pending[id], "unsaved");
  });
  store(pending);
  retry();
})();
