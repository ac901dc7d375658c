// The upload form shows the cohort choice only for enrolments and the session choice only for
// attendance (without JavaScript both stay visible, each with its help text).
(function () {
  "use strict";
  var kind = document.querySelector(".import-form select[name=kind]");
  if (!kind) return;
  var fields = { enrolments: ".field-cohort", attendance: ".field-session" };
  function update() {
    Object.keys(fields).forEach(function (name) {
      var field = document.querySelector(fields[name]);
      if (field) field.hidden = kind.value !== name;
    });
  }
  kind.addEventListener("change", update);
  update();
})();
