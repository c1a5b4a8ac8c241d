// The receipt shows a decision made while the citizen waits, without a reload (progressive enhancement:
// without this script the receipt still says where the decision will appear).
(function () {
  "use strict";
  var region = document.getElementById("decision-status");
  if (!region || !region.dataset.statusUrl || region.querySelector("a")) {
    return;
  }
  var tries = 0;
  function show(url) {
    var text = document.createElement("p");
    text.className = "ds-paragraph";
    var link = document.createElement("a");
    link.className = "ds-link";
    link.href = url;
    link.textContent = region.dataset.linkText;
    text.appendChild(document.createTextNode(region.dataset.readyText + " "));
    text.appendChild(link);
    region.appendChild(text);
  }
  function ask() {
    tries += 1;
    fetch(region.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { decided: false }; })
      .then(function (status) {
        if (status.decided) {
          show(status.url);
        } else if (tries < 100) {
          window.setTimeout(ask, 3000);
        }
      })
      .catch(function () {
        if (tries < 100) {
          window.setTimeout(ask, 5000);
        }
      });
  }
  window.setTimeout(ask, 1500);
})();
