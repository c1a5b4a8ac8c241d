// The case page by keyboard: a letter moves to a part of the page (outside text fields), and after a
// post the page opens with focus where the action was (the fragment of the redirect).
(function () {
  "use strict";
  function focusTarget(hash) {
    var target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return false;
    if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
    return true;
  }
  var alert = document.querySelector("main .ds-alert[role=status]");
  if (!focusTarget(window.location.hash) && alert) {
    alert.setAttribute("tabindex", "-1");
    alert.focus();
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var active = document.activeElement;
    if (active && (/^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName) || active.isContentEditable)) return;
    var shortcut = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (!shortcut) return;
    event.preventDefault();
    var href = shortcut.getAttribute("href");
    if (href && href.charAt(0) === "#") {
      history.replaceState(null, "", href);
      focusTarget(href);
    } else if (shortcut.tagName === "A") {
      window.location.href = href;
    } else {
      shortcut.focus();
    }
  });
})();
