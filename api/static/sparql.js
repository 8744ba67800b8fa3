// servicegraph query editor: runs queries with fetch and shows results as a table.
// Every value goes into the page with textContent (never innerHTML), with dir="auto" so
// Persian cells render right-to-left and Latin ones left-to-right.
"use strict";

const RESULTS_JSON = "application/sparql-results+json";

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

function setStatus(text, kind) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = kind || "";
}

function clearTable() {
  const table = document.getElementById("results");
  table.tHead.replaceChildren();
  table.tBodies[0].replaceChildren();
}

function cell(term) {
  const td = el("td", null, { dir: "auto" });
  if (!term) return td;
  if (term.type === "uri" && /^https?:\/\//i.test(term.value)) {
    // Only web IRIs become links: a javascript: or data: IRI in a result stays text.
    const link = el("a", term.value, { href: term.value, dir: "ltr" });
    link.rel = "noopener noreferrer";
    td.appendChild(link);
  } else if (term.type === "uri") {
    td.textContent = term.value;
    td.dir = "ltr";
  } else {
    td.textContent = term.value;
    if (term["xml:lang"]) td.lang = term["xml:lang"];
  }
  return td;
}

function showResults(data) {
  const table = document.getElementById("results");
  const head = el("tr");
  if (typeof data.boolean === "boolean") {
    head.appendChild(el("th", "ASK"));
    table.tHead.appendChild(head);
    const row = el("tr");
    row.appendChild(el("td", String(data.boolean)));
    table.tBodies[0].appendChild(row);
    return 1;
  }
  const vars = data.head.vars || [];
  for (const name of vars) head.appendChild(el("th", name, { dir: "ltr" }));
  table.tHead.appendChild(head);
  const body = table.tBodies[0];
  for (const binding of data.results.bindings) {
    const row = el("tr");
    for (const name of vars) row.appendChild(cell(binding[name]));
    body.appendChild(row);
  }
  return data.results.bindings.length;
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return `${response.status} ${problem.title || ""}: ${problem.detail || ""}`;
  } catch (_) {
    return `${response.status} ${response.statusText}`;
  }
}

async function run(event) {
  event.preventDefault();
  clearTable();
  setStatus("Running…");
  const query = document.getElementById("query").value;
  const started = performance.now();
  let response;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: `${RESULTS_JSON}, text/turtle;q=0.5`,
      },
      body: new URLSearchParams({ query }),
    });
  } catch (err) {
    setStatus(`Network error: ${err}`, "error");
    return;
  }
  if (!response.ok) {
    setStatus(await problemText(response), "error");
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith(RESULTS_JSON)) {
    const text = await response.text();
    const table = document.getElementById("results");
    const row = el("tr");
    const pre = el("pre", text, { dir: "auto" });
    const td = el("td");
    td.appendChild(pre);
    row.appendChild(td);
    table.tBodies[0].appendChild(row);
    setStatus(`Graph result (${type.split(";")[0]}) in ${seconds} s`);
    return;
  }
  const count = showResults(await response.json());
  if (response.headers.get("Servicegraph-Truncated") === "true") {
    const max = response.headers.get("Servicegraph-Max-Results");
    setStatus(`${count} rows in ${seconds} s — TRUNCATED at the limit of ${max} rows`, "warn");
  } else {
    setStatus(`${count} rows in ${seconds} s`);
  }
}

function download() {
  const params = new URLSearchParams({
    query: document.getElementById("query").value,
    format: document.getElementById("format").value,
  });
  window.location.assign(`/sparql?${params}`);
}

async function loadExamples() {
  const select = document.getElementById("examples");
  let queries = [];
  try {
    const response = await fetch("/queries", { headers: { Accept: "application/json" } });
    if (response.ok) queries = await response.json();
  } catch (_) {
    return;
  }
  for (const q of queries) {
    const label = q.title_fa ? `${q.title} — ${q.title_fa}` : q.title;
    select.appendChild(el("option", label, { value: q.name }));
  }
  select.addEventListener("change", () => {
    const chosen = queries.find((q) => q.name === select.value);
    const description = document.getElementById("example-description");
    if (!chosen) {
      description.textContent = "";
      return;
    }
    // The runnable form: parameters free (UNDEF, so it covers everything), the first page.
    document.getElementById("query").value = chosen.example;
    const params = chosen.params.map((p) => `${p.name}: ${p.description}`).join("; ");
    description.textContent = params ? `${chosen.description} (${params})` : chosen.description;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("query-form").addEventListener("submit", run);
  document.getElementById("download").addEventListener("click", download);
  loadExamples();
});
