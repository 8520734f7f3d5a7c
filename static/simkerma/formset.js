// Adds one more form to a Django formset from its <template>, keeping TOTAL_FORMS in step.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-formset-add]");
  if (!button) return;
  var prefix = button.dataset.formsetAdd;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var index = parseInt(total.value, 10);
  var html = document.getElementById(button.dataset.formsetTemplate).innerHTML.replace(/__prefix__/g, index);
  document.getElementById(button.dataset.formsetTarget).insertAdjacentHTML("beforeend", html);
  total.value = index + 1;
});
