// Save each answer as it is chosen (one small POST per item), so a dropped connection loses
// nothing already answered. Without this script the same forms post and reload the page.
(function () {
  "use strict";
  var labels = document.documentElement.lang === "ar"
    ? { saving: "جارٍ الحفظ…", saved: "تم الحفظ", failed: "لم يُحفظ: سيُعاد المحاولة عند عودة الاتصال" }
    : document.documentElement.lang === "en"
      ? { saving: "Saving…", saved: "Saved", failed: "Not saved: will retry when back online" }
      : { saving: "Enregistrement…", saved: "Enregistré", failed: "Non enregistré : nouvel essai au retour du réseau" };
  var pending = new Set();

  function save(form) {
    var status = form.querySelector("[data-status]");
    status.textContent = labels.saving;
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok || !data.saved) {
          status.textContent = data.error || labels.failed;
          return;
        }
        pending.delete(form);
        status.textContent = labels.saved;
        var answered = document.querySelector("[data-answered]");
        var bar = document.querySelector("[data-progress]");
        if (answered) { answered.textContent = data.answered; }
        if (bar) { bar.value = data.answered; }
      });
    }).catch(function () {
      pending.add(form);
      status.textContent = labels.failed;
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
    form.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () { save(form); });
    });
    var comment = form.querySelector("textarea");
    if (comment) { comment.addEventListener("change", function () { save(form); }); }
  });

  window.addEventListener("online", function () {
    Array.from(pending).forEach(save);
  });
})();
