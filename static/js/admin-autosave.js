/*
 * The post and page change forms (admin): autosave and the warning before leaving with unsaved changes.
 *
 * Configured by #autosave-status (templates/admin/blog/post/change_form.html):
 *   data-autosave-url       POST target for title/excerpt/body (empty: no autosave, e.g. a post not saved yet)
 *   data-autosave-interval  seconds between checks (default 10); only changed words are sent
 *   data-autosave-failed    text shown when an autosave fails
 *   data-autosave-restored  present when the form starts from an autosave: it counts as unsaved
 * The server answers {"saved_at": ..., "message": "Draft autosaved at 10:42."}, or {"error": ...}.
 * The visual editor keeps the body's textarea in step and fires "input" on it, so listening
 * to the form's input and change events sees every edit. Without this script the form still works.
 */
(function () {
  "use strict";

  var status = document.getElementById("autosave-status");
  var form = status && status.closest("form");
  if (!form) {
    return;
  }
  var WORDS = ["title", "excerpt", "body"];
  var url = status.getAttribute("data-autosave-url");
  var seconds = parseFloat(status.getAttribute("data-autosave-interval")) || 10;
  var restored = status.hasAttribute("data-autosave-restored");
  var submitting = false;
  var sending = false;
  var touched = false;

  function words() {
    var values = {};
    WORDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && typeof field.value === "string") {
        values[name] = field.value;
      }
    });
    return values;
  }

  // Everything the form would send (files by their chosen name), the CSRF token aside.
  function formState() {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.disabled) {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        parts.push(field.name + "=" + field.checked);
      } else if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.selectedOptions, function (option) {
          parts.push(field.name + "=" + option.value);
        });
      } else if (typeof field.value === "string") {
        parts.push(field.name + "=" + field.value);
      }
    });
    return JSON.stringify(parts);
  }

  var loaded = formState();
  var lastSent = JSON.stringify(words());

  // Widgets (the visual editor) may settle the fields after this script ran: take their word as the start.
  window.addEventListener("load", function () {
    if (!touched) {
      loaded = formState();
      lastSent = JSON.stringify(words());
    }
  });

  function markTouched() {
    touched = true;
  }
  form.addEventListener("input", markTouched);
  form.addEventListener("change", markTouched);
  form.addEventListener("submit", function () {
    submitting = true;
  });

  function unsaved() {
    return restored || (touched && formState() !== loaded);
  }

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  function show(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("is-error", Boolean(isError));
  }

  function autosave() {
    if (submitting || sending) {
      return;
    }
    var current = words();
    var key = JSON.stringify(current);
    if (key === lastSent) {
      return;
    }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var body = new URLSearchParams();
    Object.keys(current).forEach(function (name) {
      body.append(name, current[name]);
    });
    sending = true;
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.status < 500) {
            lastSent = key; // refused words stay refused: no resending them every few seconds
          }
          show(response.ok ? data.message : data.error, !response.ok);
        });
      })
      .catch(function () {
        show(status.getAttribute("data-autosave-failed"), true);
      })
      .then(function () {
        sending = false;
      });
  }

  if (url) {
    window.setInterval(autosave, seconds * 1000);
  }
})();
