// Accessible names for what Django's admin scripts build after the page loads (issue #22):
// - filter_horizontal's help icons: aria-label on a bare <span>, which ARIA forbids
//   (axe: aria-prohibited-attr): they get role="img";
// - the date shortcuts' "Hari ini" link is named "Today (6 Desember 2026)" (Django has no
//   Indonesian for that label), so its name no longer contains its visible text
//   (axe: label-content-name-mismatch): the name starts with the visible text again;
// - autocomplete boxes (Select2) are named by an empty element when nothing is chosen
//   (axe: aria-input-field-name): they are named by the field's <label> too.
"use strict";
(function () {
    function nameHelpIcons(root) {
        root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
            icon.setAttribute("role", "img");
        });
    }

    function nameDateShortcuts(root) {
        root.querySelectorAll(".datetimeshortcuts a[aria-label], .calendarbox a[aria-label]").forEach(function (link) {
            const text = link.textContent.trim();
            const label = link.getAttribute("aria-label");
            if (!text || label.indexOf(text) === 0) {
                return;
            }
            const date = label.match(/\(([^)]*)\)\s*$/);
            link.setAttribute("aria-label", date ? text + " (" + date[1] + ")" : text);
        });
    }

    function nameAutocompletes(root) {
        root.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
            const label = document.querySelector("label[for='" + select.id + "']");
            const rendered = document.getElementById("select2-" + select.id + "-container");
            if (!label || !rendered) {
                return;
            }
            label.id = label.id || select.id + "_label";
            const box = rendered.closest("[role='combobox']");
            if (box && (box.getAttribute("aria-labelledby") || "").indexOf(label.id) === -1) {
                box.setAttribute("aria-labelledby", label.id + " " + rendered.id);
            }
            rendered.setAttribute("aria-labelledby", label.id + " " + rendered.id);
        });
    }

    function nameAll() {
        nameHelpIcons(document);
        nameDateShortcuts(document);
        nameAutocompletes(document);
    }

    // Django's widgets build these on window load and when an inline row is added: run after.
    window.addEventListener("load", function () {
        window.setTimeout(nameAll, 0);
    });
    document.addEventListener("formset:added", function () {
        window.setTimeout(nameAll, 0);
    });
})();
