// Search-and-pick widget (templates/widgets/picker.html): a chosen item becomes a chip
// holding a hidden input, so the form posts the ids as a normal multiple field.
document.addEventListener("click", function (event) {
  var option = event.target.closest("[data-pick]");
  if (option) {
    var picker = option.closest("[data-picker]");
    var name = picker.dataset.picker;
    var chosen = picker.querySelector(".picker-chosen");
    if (picker.dataset.multiple !== "1") chosen.innerHTML = "";
    if (!chosen.querySelector('input[value="' + option.dataset.pick + '"]')) {
      var chip = document.createElement("span");
      chip.className = "chip";
      chip.textContent = option.dataset.label;
      var input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = option.dataset.pick;
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "chip-remove"; remove.setAttribute("data-unpick", ""); remove.textContent = "×";
      chip.appendChild(input); chip.appendChild(remove);
      chosen.appendChild(chip);
    }
    picker.querySelector(".picker-results").innerHTML = "";
    var search = picker.querySelector(".picker-search");
    search.value = "";
    search.dispatchEvent(new Event("change"));
    return;
  }
  var remover = event.target.closest("[data-unpick]");
  if (remover) remover.closest(".chip").remove();
});
