// Folded panels (<details data-open-wide>: the header menu, the catalogue filters) start open on wide
// screens. The CSS already shows them there in browsers that style ::details-content; this covers the rest.
(function () {
  var wide = window.matchMedia("(min-width: 48rem)");
  if (!wide.matches) return;
  var panels = document.querySelectorAll("details[data-open-wide]");
  for (var i = 0; i < panels.length; i++) panels[i].open = true;
})();
