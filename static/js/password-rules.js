// Live password rules on the sign-up form (templates/accounts/_password_rules.html): as the person types,
// the rules the browser can check (a minimum length, not only digits) are marked met or not yet met.
// The server checks every rule again on submit. A file, not inline: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var list = document.querySelector("[data-password-rules]");
  var input = list && document.getElementById(list.getAttribute("data-for"));
  if (!input) {
    return;
  }
  var checks = {
    "min-length": function (value, item) {
      return Array.from(value).length >= Number(item.getAttribute("data-min"));
    },
    "not-numeric": function (value) {
      return value !== "" && !/^\d+$/.test(value);
    },
  };
  function update() {
    list.querySelectorAll("[data-rule]").forEach(function (item) {
      var check = checks[item.getAttribute("data-rule")];
      if (!check) {
        return;
      }
      var met = check(input.value, item);
      item.classList.toggle("is-met", met);
      item.classList.toggle("is-unmet", input.value !== "" && !met);
    });
  }
  input.addEventListener("input", update);
  update();
})();
