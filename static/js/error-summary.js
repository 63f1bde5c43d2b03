/*
 * The error summary of a refused form (GOV.UK's pattern). The page already
 * focuses it without JavaScript (autofocus); this makes sure it is focused and
 * in view, and makes each link focus its field with the field's label in view.
 */
(function () {
  "use strict";

  var summary = document.querySelector(".error-summary");
  if (!summary) {
    return;
  }
  if (document.activeElement !== summary) {
    summary.focus({ preventScroll: true });
  }
  summary.scrollIntoView({ block: "start" });

  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
}());
