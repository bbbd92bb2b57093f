/* Reports pack status page: progressive enhancement of a page that works
 * without it ("Check again" reloads the page).
 *
 * While the pack is being prepared, the page is fetched again every few
 * seconds and its status region (#pack-state, a polite live region) is
 * replaced by the fresh one, so the download link appears by itself and is
 * announced. Keyboard focus inside the region moves to the new region's
 * first link or button rather than being lost. Checking stops once the pack
 * is ready or has failed, and after about ten minutes in any case.
 */
(function () {
  "use strict";
  var region = document.getElementById("pack-state");
  if (!region || !window.fetch || !window.DOMParser) { return; }
  var DELAY = 4000;
  var MAX_CHECKS = 150;
  var checks = 0;

  function pending() {
    var state = region.getAttribute("data-state");
    return state === "queued" || state === "running" || state === "missing";
  }

  function update(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html")
      .getElementById("pack-state");
    if (!fresh) { return; }
    var hadFocus = region.contains(document.activeElement);
    region.setAttribute("data-state", fresh.getAttribute("data-state"));
    region.replaceChildren.apply(
      region, Array.prototype.slice.call(fresh.childNodes).map(function (node) {
        return document.importNode(node, true);
      })
    );
    if (hadFocus) {
      var target = region.querySelector("a, button");
      if (target) { target.focus(); }
    }
  }

  function check() {
    checks += 1;
    fetch(window.location.href, {
      credentials: "same-origin",
      headers: { "Accept": "text/html" },
      cache: "no-store"
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.text();
      })
      .then(update)
      .catch(function () { /* the page still works: "Check again" */ })
      .then(schedule);
  }

  function schedule() {
    if (pending() && checks < MAX_CHECKS) { window.setTimeout(check, DELAY); }
  }

  schedule();
}());
