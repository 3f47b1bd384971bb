// The draft form's insert buttons put a source where the cursor was: remember the field and the
// position in the hidden inputs the server reads.
document.addEventListener("DOMContentLoaded", function () {
  var cursor = document.getElementById("draft-cursor"), field = document.getElementById("draft-cursor-field");
  ["id_body", "id_lead", "id_quotes"].forEach(function (id) {
    var box = document.getElementById(id);
    if (!box || !cursor) return;
    var remember = function () { cursor.value = box.selectionStart; field.value = box.name; };
    ["keyup", "click", "select", "input", "focus"].forEach(function (name) { box.addEventListener(name, remember); });
  });
});
