// A test on a phone on a slow link: every answer is posted at once by htmx. An answer that does
// not reach the server is kept in this phone's storage, shown as not saved, and sent again when
// the network comes back; "one question per screen" pages through the questions without
// reloading, so it keeps working offline.
(function () {
  "use strict";
  var quiz = document.getElementById("quiz");
  if (!quiz || !window.htmx) return;
  htmx.config.timeout = 8000;
  var KEY = "renfort-quiz:" + quiz.dataset.attempt;
  var alertBox = document.getElementById("quiz-offline");
  var finish = document.getElementById("quiz-finish");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function store(pending) {
    try { localStorage.setItem(KEY, JSON.stringify(pending)); } catch (e) { /* private mode */ }
    alertBox.hidden = Object.keys(pending).length === 0;
  }
  function formOf(id) { return document.getElementById("q-" + id); }
  function questionOf(form) { return form.querySelector("input[name=question]").value; }
  function chosen(form) {
    return Array.prototype.map.call(form.querySelectorAll("input[name=chosen]:checked"), function (i) { return i.value; });
  }
  function status(form, text, state) {
    form.classList.remove("saving", "unsaved");
    if (state) form.classList.add(state);
    form.querySelector(".saved").textContent = text;
  }
  function send(form) {
    status(form, quiz.dataset.savingLabel, "saving");
    htmx.ajax("POST", form.getAttribute("action"), {
      source: form, target: form.querySelector(".saved"), swap: "innerHTML"
    });
  }

  quiz.addEventListener("change", function (event) {
    var form = event.target.closest("form.question");
    if (!form) return;
    var pending = load();
    pending[questionOf(form)] = chosen(form);
    store(pending);
    status(form, quiz.dataset.savingLabel, "saving");
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form.question") : null;
    if (!form) return;
    var pending = load();
    var id = questionOf(form);
    var xhr = event.detail.xhr;
    if (event.detail.successful || (xhr && xhr.status === 422)) {
      // Only forget the answer if it is the one the server now has.
      if (JSON.stringify(pending[id]) === JSON.stringify(chosen(form))) delete pending[id];
      store(pending);
      form.classList.remove("saving", "unsaved");
      if (!event.detail.successful) status(form, xhr.responseText, "unsaved");
    } else if (pending[id]) {
      status(form, quiz.dataset.unsavedLabel, "unsaved");
    }
  });
  function retry() {
    var pending = load();
    Object.keys(pending).forEach(function (id) {
      var form = formOf(id);
      if (form && !form.classList.contains("saving")) send(form);
    });
  }
  function restore() {
    var pending = load();
    Object.keys(pending).forEach(function (id) {
      var form = formOf(id);
      if (!form) { delete pending[id]; return; }
      form.querySelectorAll("input[name=chosen]").forEach(function (input) {
        input.checked = pending[id].indexOf(input.value) !== -1;
      });
      status(form, quiz.dataset.unsavedLabel, "unsaved");
    });
    store(pending);
  }
  window.addEventListener("online", retry);
  setInterval(function () { if (navigator.onLine !== false) retry(); }, 5000);

  finish.addEventListener("submit", function (event) {
    if (Object.keys(load()).length || navigator.onLine === false) {
      event.preventDefault();
      var note = finish.querySelector(".pending") || document.createElement("p");
      note.className = "pending";
      note.setAttribute("role", "alert");
      note.textContent = finish.dataset.pendingLabel;
      finish.insertBefore(note, finish.firstChild);
      retry();
    }
  });

  // One question per screen.
  if (quiz.dataset.mode === "one") {
    var questions = Array.prototype.slice.call(quiz.querySelectorAll("form.question"));
    var index = 0;
    var nav = document.createElement("div");
    nav.className = "quiz-nav";
    var previous = document.createElement("button");
    previous.type = "button";
    previous.textContent = quiz.dataset.previousLabel;
    var counter = document.createElement("span");
    counter.setAttribute("aria-live", "polite");
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = quiz.dataset.nextLabel;
    nav.appendChild(previous); nav.appendChild(counter); nav.appendChild(next);
    quiz.parentNode.insertBefore(nav, quiz.nextSibling);
    quiz.classList.add("one");
    function show(i) {
      index = Math.max(0, Math.min(questions.length - 1, i));
      questions.forEach(function (q, n) { q.classList.toggle("current", n === index); });
      counter.textContent = quiz.dataset.ofLabel.replace("%(n)s", index + 1).replace("%(total)s", questions.length);
      previous.disabled = index === 0;
      next.disabled = index === questions.length - 1;
    }
    previous.addEventListener("click", function () { show(index - 1); });
    next.addEventListener("click", function () { show(index + 1); });
    var hash = location.hash.replace("#q-", "");
    show(Math.max(0, questions.findIndex(function (q) { return q.id === "q-" + hash; })));
  }
  restore();
  retry();
})();
