// Rostra moderation pages: keyboard shortcuts for the queue (documented on the page).
// j/k move between items, a approves, r rejects, b bans the author, x selects, o opens details,
// u opens the author's drawer (also from a line of the audit log), f features or unfeatures.
// On a site's page, choosing a preset fills the threshold table (the table is then what is
// saved), and changing the table switches the picker to "custom".
(() => {
  const items = () => [...document.querySelectorAll(".item")];
  let cur = -1;
  const focus = (i) => {
    const all = items();
    if (!all.length) return;
    cur = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((el, k) => el.classList.toggle("cur", k === cur));
    all[cur].focus();
    all[cur].scrollIntoView({ block: "nearest" });
  };
  const current = () => items()[cur] || document.activeElement.closest?.(".item, tr");
  const submit = (sel) => {
    const item = current();
    const form = item && item.querySelector(sel);
    if (form) form.requestSubmit();
  };
  document.addEventListener("focusin", (e) => {
    const item = e.target.closest && e.target.closest(".item");
    if (item) cur = items().indexOf(item);
  });
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t.matches && t.matches("input[type=text], input:not([type]), textarea, select")) return;
    const key = { j: () => focus(cur + 1), k: () => focus(cur - 1), a: () => submit(".f-approve"),
      r: () => submit(".f-reject"), b: () => submit(".f-ban"), f: () => submit(".f-feature"),
      x: () => { const c = current()?.querySelector("input[name=ids]"); if (c) c.checked = !c.checked; },
      u: () => { const a = (current() || document)?.querySelector("a.drawer"); if (a) location.href = a.href; },
      o: () => { const a = current()?.querySelector("a[href^='/admin/comments/']"); if (a) location.href = a.href; } }[e.key];
    if (key) {
      e.preventDefault();
      key();
    }
  });
  if (items().length) focus(0);
  const preset = document.getElementById("preset");
  const table = document.getElementById("attributes");
  if (preset && table) {
    const shown = document.getElementById("preset_shown");
    preset.addEventListener("change", () => {
      const rules = preset.selectedOptions[0].dataset.rules;
      if (!rules) return;
      for (const [name, [hold, reject]] of Object.entries(JSON.parse(rules))) {
        table.querySelector(`[name=hold_${name}]`).value = hold;
        table.querySelector(`[name=reject_${name}]`).value = reject;
      }
      shown.value = preset.value;
    });
    table.addEventListener("input", () => { preset.value = shown.value = "custom"; });
  }
})();
