/*
 * Threaded replies without a page load: clicking "Reply" moves the form
 * (#respond) under that comment, sets the hidden parent field, and focuses
 * the text box; "Cancel reply" puts everything back. Without JavaScript the
 * links load ?replytocom=<id>#respond, which the server renders the same way.
 */
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  var form = document.getElementById("commentform");
  if (!respond || !form) {
    return;
  }
  var parentInput = form.querySelector("input[name='parent']");
  var title = document.getElementById("reply-title");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var textarea = form.querySelector("textarea[name='body']");
  var titleText = title ? title.firstChild : null;
  var defaultTitle = "Leave a Reply";
  var placeholder = null;
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  respond.appendChild(live);

  function announce(message) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 50);
  }

  function setTitle(text) {
    if (titleText && titleText.nodeType === Node.TEXT_NODE) {
      titleText.nodeValue = text + " ";
    }
  }

  function moveForm(link) {
    var commentId = link.getAttribute("data-commentid");
    var target = document.getElementById("div-comment-" + commentId);
    if (!commentId || !target || !parentInput) {
      return false;
    }
    if (!placeholder) {
      placeholder = document.createElement("div");
      placeholder.id = "temp-respond-placeholder";
      placeholder.hidden = true;
      respond.parentNode.insertBefore(placeholder, respond);
    }
    target.parentNode.insertBefore(respond, target.nextSibling);
    parentInput.value = commentId;
    var replyTo = link.getAttribute("data-replyto") || "Reply";
    setTitle(replyTo);
    if (cancel) {
      cancel.hidden = false;
    }
    if (textarea) {
      textarea.focus();
    }
    announce(replyTo + ": the comment form is now below that comment.");
    return true;
  }

  function restoreForm() {
    if (parentInput) {
      parentInput.value = "0";
    }
    setTitle(defaultTitle);
    if (cancel) {
      cancel.hidden = true;
    }
    if (placeholder) {
      placeholder.parentNode.insertBefore(respond, placeholder);
      placeholder.parentNode.removeChild(placeholder);
      placeholder = null;
    }
    if (textarea) {
      textarea.focus();
    }
    announce("Reply cancelled. The comment form is back at the end of the comments.");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.comment-reply-link") : null;
    if (link && moveForm(link)) {
      event.preventDefault();
      return;
    }
    if (event.target === cancel || (cancel && cancel.contains(event.target))) {
      // With a server-rendered reply (?replytocom=) there is no placeholder: follow the link.
      if (placeholder) {
        event.preventDefault();
        restoreForm();
      }
    }
  });
}());
