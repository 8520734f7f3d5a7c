// <button data-copy-target="id">: copy that field's value to the clipboard.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy-target]");
  if (!button) return;
  var field = document.getElementById(button.dataset.copyTarget);
  if (!field) return;
  field.select();
  var done = function () { if (button.dataset.copiedText) button.textContent = button.dataset.copiedText; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () {});
  } else if (document.execCommand && document.execCommand("copy")) {
    done();
  }
});
