// Reply and Quick Edit inside the comment queue: the row's link opens the same page's form
// below the row (fetched from the link, CSRF token included); without JavaScript the link is the page.
const table = document.getElementById("result_list");

async function openInline(link) {
  const row = link.closest("tr");
  const open = row.nextElementSibling;
  if (open && open.classList.contains("comment-inline-row")) {
    open.remove();
    return;
  }
  const response = await fetch(link.href, { credentials: "same-origin" });
  if (!response.ok) {
    window.location.href = link.href;
    return;
  }
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const form = page.querySelector("form.comment-inline-form");
  if (!form) {
    window.location.href = link.href;
    return;
  }
  if (!form.querySelector("input[name=next]")) {
    const next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = window.location.pathname + window.location.search;
    form.append(next);
  }
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "button";
  cancel.textContent = link.dataset.cancel || "Cancel";
  cancel.addEventListener("click", () => {
    inline.remove();
    link.focus();
  });
  form.querySelector(".submit-row").append(cancel);
  const inline = document.createElement("tr");
  inline.className = "comment-inline-row";
  const cell = document.createElement("td");
  cell.colSpan = row.children.length;
  cell.append(document.adoptNode(form));
  inline.append(cell);
  row.after(inline);
  form.querySelector("textarea, input:not([type=hidden])").focus();
}

if (table) {
  table.addEventListener("click", (event) => {
    const link = event.target.closest("a.action-reply, a.action-quick-edit");
    if (!link) return;
    event.preventDefault();
    openInline(link);
  });
}
