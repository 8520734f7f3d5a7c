// Small behaviours named by data attributes, so that no page needs an inline script
// (the Content Security Policy allows scripts from our own files only).
(function () {
  "use strict";
  // <select data-autosubmit>: send its form as soon as the choice changes.
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  // <button data-fill-target="id" data-fill-value="...">: put the value into that field.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fill-target]");
    if (!button) return;
    var field = document.getElementById(button.dataset.fillTarget);
    if (field) {
      field.value = button.dataset.fillValue;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
