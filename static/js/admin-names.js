/* The back office's autocomplete boxes (select2) name themselves after their
 * placeholder, which is empty: name each after its field's label instead, as
 * its plain select would be, for screen readers and speech input. */
(function () {
  "use strict";
  function name(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var box = select.parentNode.querySelector(".select2-selection");
    if (!label || !box) { return; }
    if (!label.id) { label.id = select.id + "-label"; }
    box.setAttribute("aria-labelledby", label.id);
    var shown = box.querySelector(".select2-selection__rendered");
    if (shown) { shown.setAttribute("aria-labelledby", label.id + " " + shown.id); }
  }
  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }
  // After the admin's own ready handler has built the boxes, and again once
  // everything has loaded.
  if (window.django && window.django.jQuery) { window.django.jQuery(nameAll); }
  window.addEventListener("load", nameAll);
  document.addEventListener("formset:added", function () { window.setTimeout(nameAll, 0); });
})();
