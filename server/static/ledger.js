// A barcode reader types a booklet's number then Enter. In a booklets' field Enter starts a new
// line (the field's own behaviour, so several booklets are scanned in a row); Enter on an empty
// line records the form. Without this script the form still works with its button.
document.querySelectorAll("textarea[data-scan]").forEach(function (field) {
  field.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) {
      return;
    }
    var before = field.value.slice(0, field.selectionStart).split("\n");
    if (before[before.length - 1].trim() === "" && field.value.trim() !== "") {
      event.preventDefault();
      field.form.requestSubmit();
    }
  });
});
