// The caseworker's pages by keyboard. Outside text fields a letter moves focus: to a part of the page
// (an in-page link's target) or to a frequent button or link, which Enter then uses. After a post the page
// opens with focus where the action was: on a form's error summary, else on the redirect's fragment.
(function () {
  "use strict";
  function focus(target) {
    if (!target) return false;
    if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
    return true;
  }
  function byHash(hash) {
    return hash && hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
  }
  focus(document.querySelector("main .ds-alert[role=alert]")) || focus(byHash(window.location.hash));
  // A link to a field (an error summary's) puts the caret in the field, not just the view on it.
  window.addEventListener("hashchange", function () {
    focus(byHash(window.location.hash));
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var active = document.activeElement;
    if (active && (/^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName) || active.isContentEditable)) return;
    var shortcut = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (!shortcut) return;
    event.preventDefault();
    var href = shortcut.getAttribute("href");
    if (shortcut.tagName === "A" && href && href.charAt(0) === "#") {
      history.replaceState(null, "", href);
      focus(byHash(href));
    } else {
      focus(shortcut);
    }
  });
})();
