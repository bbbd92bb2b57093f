/* Minutes editor: progressive enhancement of a form that works without it.
 *
 * - Autosave: a few seconds after typing stops, the form is posted in the
 *   background (X-Autosave: 1). The server answers with the new version, a
 *   conflict (someone else saved), or "signed out" (the text is kept on the
 *   server and offered again after signing in).
 * - Paragraph controls (add, remove, move) and "Add a resolution" act in
 *   the page instead of reloading it, and keep keyboard focus where the user
 *   expects (without script the reloaded page opens on the same field).
 */
(function () {
  "use strict";
  var form = document.getElementById("minute-editor");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var version = document.getElementById("version");
  var autosave = form.getAttribute("data-autosave") === "on";
  var timer = null;
  var inFlight = false;
  var dirty = false;
  var stopped = false;
  var DELAY = 3000;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    if (!autosave || stopped || inFlight || !dirty) { return; }
    inFlight = true;
    dirty = false;
    var data = new FormData(form);
    data.set("action", "save");
    say("Saving…");
    // form.action would name the buttons called "action", so read the attribute.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; },
                                   function () { return { status: response.status, body: {} }; });
    }).then(function (result) {
      inFlight = false;
      if (result.status === 200 && result.body.ok) {
        version.value = result.body.version;
        say("Saved at " + result.body.saved_at + ".");
      } else if (result.status === 409) {
        stopped = true;
        say(result.body.message + " Press Save to see both versions.");
      } else if (result.status === 401) {
        stopped = true;
        say("You have been signed out. Your text is kept: press Save, sign in again, and it will be waiting for you.");
      } else if (result.status === 400) {
        dirty = true;
        say("Not saved yet: " + describe(result.body.errors));
      } else {
        dirty = true;
        say("Not saved yet: the server did not answer. Your text is still here.");
      }
      if (dirty && !stopped) { schedule(); }
    }).catch(function () {
      inFlight = false;
      dirty = true;
      say("Not saved yet: no connection. Your text is still here and will be saved when the connection returns.");
      schedule();
    });
  }

  function describe(errors) {
    if (!errors) { return "check the form."; }
    if (Array.isArray(errors)) { return errors.join(" "); }
    return Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" ");
  }

  function schedule() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("input", function () { dirty = true; schedule(); });
  form.addEventListener("change", function () { dirty = true; schedule(); });

  /* Paragraph controls in the page. */
  var list = form.querySelector('[data-list="paragraph"]');

  function renumber() {
    var entries = list.querySelectorAll("[data-entry]");
    entries.forEach(function (entry, i) {
      var label = entry.querySelector("label");
      var area = entry.querySelector("textarea");
      area.id = "paragraph-" + i;
      label.setAttribute("for", area.id);
      label.textContent = "Paragraph " + (i + 1);
      entry.querySelectorAll("button").forEach(function (b) {
        var hidden = b.querySelector(".visually-hidden");
        if (hidden) { hidden.textContent = " paragraph " + (i + 1); }
        var kind = b.hasAttribute("data-remove") ? "remove" : b.getAttribute("data-move");
        b.value = (kind === "remove" ? "remove" : kind) + "-paragraph:" + i;
        if (kind === "up") { b.hidden = i === 0; }
        if (kind === "down") { b.hidden = i === entries.length - 1; }
      });
    });
  }

  function controls(entry) {
    var box = entry.querySelector(".editor-entry__controls");
    ["up", "down"].forEach(function (dir) {
      if (!box.querySelector('[data-move="' + dir + '"]')) {
        var b = document.createElement("button");
        b.type = "submit";
        b.name = "action";
        b.className = "link-button";
        b.setAttribute("data-move", dir);
        b.innerHTML = (dir === "up" ? "Move up" : "Move down") + '<span class="visually-hidden"></span>';
        box.insertBefore(b, box.querySelector("[data-remove]"));
      }
    });
  }

  if (list) {
    list.querySelectorAll("[data-entry]").forEach(controls);
    renumber();
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !form.contains(button)) { return; }
      var entry = button.closest("[data-entry]");
      if (button.getAttribute("data-add") === "paragraph") {
        event.preventDefault();
        var fresh = document.createElement("div");
        fresh.className = "editor-entry";
        fresh.setAttribute("data-entry", "");
        fresh.innerHTML = '<label></label><textarea name="paragraph" rows="5" aria-describedby="format-hint"></textarea>' +
          '<div class="editor-entry__controls"><button type="submit" name="action" class="link-button" data-remove>Remove<span class="visually-hidden"></span></button></div>';
        list.appendChild(fresh);
        controls(fresh);
        renumber();
        fresh.querySelector("textarea").focus();
        say("Paragraph " + list.querySelectorAll("[data-entry]").length + " added.");
      } else if (entry && list.contains(entry) && button.hasAttribute("data-remove")) {
        event.preventDefault();
        var next = entry.nextElementSibling || entry.previousElementSibling;
        entry.remove();
        renumber();
        dirty = true;
        schedule();
        (next ? next.querySelector("textarea") : form.querySelector('[data-add="paragraph"]')).focus();
        say("Paragraph removed.");
      } else if (entry && list.contains(entry) && button.hasAttribute("data-move")) {
        event.preventDefault();
        var dir = button.getAttribute("data-move");
        if (dir === "up" && entry.previousElementSibling) {
          list.insertBefore(entry, entry.previousElementSibling);
        } else if (dir === "down" && entry.nextElementSibling) {
          list.insertBefore(entry.nextElementSibling, entry);
        }
        renumber();
        dirty = true;
        schedule();
        var same = entry.querySelector('[data-move="' + dir + '"]');
        (same && !same.hidden ? same : entry.querySelector("textarea")).focus();
        say("Paragraph moved to position " + (Array.prototype.indexOf.call(list.children, entry) + 1) + ".");
      }
    });
  }

  /* "Add a resolution" in the page: a copy of the server's own template. */
  var resolutions = document.getElementById("resolutions");
  var blank = document.getElementById("resolution-template");
  var addResolution = form.querySelector('[data-add="resolution"]');
  if (resolutions && blank && addResolution) {
    addResolution.addEventListener("click", function (event) {
      event.preventDefault();
      var n = resolutions.querySelectorAll("[data-entry]").length;
      var holder = document.createElement("div");
      holder.innerHTML = blank.innerHTML.replace(/__n__/g, String(n)).replace(/__number__/g, String(n + 1));
      var entry = holder.firstElementChild;
      resolutions.insertBefore(entry, addResolution);
      var area = entry.querySelector("textarea");
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
      dirty = true;
      schedule();
      say("Resolution " + (n + 1) + " added.");
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty && autosave && !stopped) { save(); }
    if (dirty) { event.preventDefault(); }
  });
  form.addEventListener("submit", function () { dirty = false; });
})();
