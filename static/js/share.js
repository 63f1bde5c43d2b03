/*
 * Share bar helpers. "Copy link" copies the permalink and says so under the bar
 * (without JavaScript it is just a link to the post); "Share…" opens the system
 * share sheet where the browser has one (navigator.share), and stays hidden elsewhere.
 */
(function () {
  "use strict";

  var SHOWN_FOR_MS = 5000;

  function announce(bar, message) {
    var status = bar.querySelector(".share-status");
    if (!status) {
      return;
    }
    window.clearTimeout(status.clearTimer);
    status.textContent = message;
    status.clearTimer = window.setTimeout(function () { status.textContent = ""; }, SHOWN_FOR_MS);
  }

  if (navigator.share) {
    document.querySelectorAll(".share-native").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest ? event.target.closest(".share-copy") : null;
    if (copy && navigator.clipboard && window.isSecureContext) {
      event.preventDefault();
      var bar = copy.closest(".share-bar");
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(function () {
        copy.classList.add("copied");
        announce(bar, "Link copied");
      }, function () {
        announce(bar, "Could not copy the link. Select it in the address bar instead.");
      });
      return;
    }
    var native = event.target.closest ? event.target.closest(".share-native") : null;
    if (native && navigator.share) {
      navigator.share({ title: native.getAttribute("data-title"), url: native.getAttribute("data-url") })
        .catch(function () { /* the reader closed the share sheet */ });
    }
  });
}());
