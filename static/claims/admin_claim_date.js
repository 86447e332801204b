/* The claim's review form: beside the claim date, the article's published date and a button
   that puts it in the field (issue 14), so that a claim whose text states no date is dated in
   one click. A separate file: the admin's Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  function init() {
    var source = document.getElementById("article-published-date");
    var field = document.getElementById("id_claim_date");
    if (!source || !field) {
      return;
    }
    var published = source.dataset.date;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button use-article-date";
    button.textContent = "Use the article's date (" + published + ")";
    button.addEventListener("click", function () {
      field.value = published;
      var precision = document.getElementById("id_claim_date_precision");
      if (precision) {
        precision.value = "day";
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    field.insertAdjacentElement("afterend", button);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
