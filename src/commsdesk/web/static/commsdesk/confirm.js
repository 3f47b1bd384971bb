// Forms marked data-confirm="question" ask before they submit (delete buttons and the like).
// A static file rather than onsubmit= attributes: the Content-Security-Policy runs no inline code.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
