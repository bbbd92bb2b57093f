/* Agenda builder: drag an item to a new place in its section.
 *
 * Progressive enhancement of the "Move up" and "Move down" buttons, which
 * stay for keyboard and switch users and whenever this script does not run.
 * Each item gets a handle, dragged with a mouse, pen or finger (pointer
 * events, so touch screens work too); releasing it over another item of the
 * same section submits the dragged item's own move form with its new place
 * (1-based), so the server renumbers the section and the page shows the
 * result exactly as a button press would.
 */
(function () {
  "use strict";
  var lists = document.querySelectorAll("ol.builder");
  if (!lists.length || !window.PointerEvent) { return; }
  var BEFORE = "builder__item--drop-before";
  var AFTER = "builder__item--drop-after";

  function itemsOf(list) {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > li.builder__item"));
  }

  Array.prototype.forEach.call(lists, function (list) {
    var items = itemsOf(list);
    if (items.length < 2) { return; }
    var dragged = null;
    var over = null;

    function clear() {
      if (over) { over.classList.remove(BEFORE, AFTER); }
      over = null;
    }

    function track(event) {
      var hit = document.elementFromPoint(event.clientX, event.clientY);
      var item = hit && hit.closest("li.builder__item");
      if (!item || item === dragged || item.parentNode !== list) { clear(); return; }
      if (item !== over) { clear(); over = item; }
      var box = item.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      item.classList.toggle(AFTER, after);
      item.classList.toggle(BEFORE, !after);
    }

    function drop() {
      var target = over;
      var after = target && target.classList.contains(AFTER);
      clear();
      dragged.classList.remove("builder__item--dragging");
      var moving = dragged;
      dragged = null;
      if (!target) { return; }
      list.insertBefore(moving, after ? target.nextSibling : target);
      var form = moving.querySelector("form[data-move]");
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "position";
      field.value = String(itemsOf(list).indexOf(moving) + 1);
      form.appendChild(field);
      form.submit();
    }

    items.forEach(function (item) {
      if (!item.querySelector("form[data-move]")) { return; }
      var handle = document.createElement("span");
      handle.className = "builder__handle";
      handle.setAttribute("aria-hidden", "true");
      handle.title = "Drag to move this item";
      handle.textContent = "\u2630";
      item.insertBefore(handle, item.firstChild);
      handle.addEventListener("pointerdown", function (event) {
        if (event.button !== 0) { return; }
        event.preventDefault();
        handle.setPointerCapture(event.pointerId);
        dragged = item;
        item.classList.add("builder__item--dragging");
      });
      handle.addEventListener("pointermove", function (event) {
        if (dragged === item) { track(event); }
      });
      handle.addEventListener("pointerup", function () {
        if (dragged === item) { drop(); }
      });
      handle.addEventListener("pointercancel", function () {
        if (dragged === item) { clear(); item.classList.remove("builder__item--dragging"); dragged = null; }
      });
    });

    var hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent = "You can also drag an item by its handle to a new place in this section.";
    list.parentNode.insertBefore(hint, list);
  });
})();
