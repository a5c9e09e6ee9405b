// The page of `indikator app`. Every text from a file or the server is put in with
// textContent, never as HTML. Every request carries the page's token.
"use strict";

const token = new URLSearchParams(location.search).get("token") || "";
const $ = (id) => document.getElementById(id);
const withToken = (path) => path + (path.includes("?") ? "&" : "?") + "token=" +
  encodeURIComponent(token);
let forms = {kolumner: {mal: [], svarsfrekvens: []}, listor: {}};

async function call(path, options = {}) {
  const headers = Object.assign({"X-Token": token}, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, {headers}));
  let data = null;
  try { data = await response.json(); } catch (e) { data = {fel: await response.text()}; }
  return {ok: response.ok, status: response.status, data};
}

const KEPT = ["forbund", "min_n", "ar", "ofullstandiga"];  // kept over a reload

function keep() {
  for (const id of KEPT) sessionStorage.setItem(id, $(id).value);
}

function restore() {
  for (const id of KEPT) {
    const value = sessionStorage.getItem(id);
    if (value !== null) $(id).value = value;
  }
}

function settings() {
  keep();
  const parts = [...document.querySelectorAll("#bilaga input:checked")].map((b) => b.value);
  return {forbund: $("forbund").value, min_n: $("min_n").value, ar: $("ar").value,
          ofullstandiga: $("ofullstandiga").value, bilaga: parts,
          utanfor_skalan: $("utanfor_skalan").checked};
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  row.appendChild(td);
  return td;
}

function say(id, text, failed) {
  $(id).textContent = text;
  $(id).classList.toggle("fel", Boolean(failed));
}

const KIND = {error: "Fel", warning: "Varning", info: "Notis"};

function showCheck(result) {
  const found = $("hittat-tabell").tBodies[0];
  const problems = $("problem-tabell").tBodies[0];
  found.replaceChildren();
  problems.replaceChildren();
  for (const s of result.sheets || []) {
    const row = found.insertRow();
    cell(row, s.file); cell(row, s.sheet || "");
    cell(row, s.survey || s.note || "lästes inte");
    cell(row, (s.years || []).join(", ")); cell(row, s.respondents);
    cell(row, (s.groups || []).join(", "));
  }
  for (const p of result.problems || []) {
    const row = problems.insertRow();
    row.className = p.severity === "error" ? "fel" : p.severity;
    cell(row, KIND[p.severity] || p.severity); cell(row, p.file || "");
    cell(row, p.sheet || ""); cell(row, p.row || "");
    cell(row, p.column ? p.column + (p.header ? " (" + p.header + ")" : "") : "");
    let text = p.message;
    if (p.value !== null && p.value !== undefined) text += " Värde: " + p.value + ".";
    if (p.expected) text += " Förväntat: " + p.expected + ".";
    cell(row, text);
  }
  $("hittat").hidden = !(result.sheets || []).length;
  $("problem").hidden = !(result.problems || []).length;
  $("rapport").textContent = result.report || "";
  $("hela").hidden = !result.report;
  const names = result.files || [];
  $("valda").textContent = names.length
    ? `Valda filer (${names.length}): ${names.join(", ")}.` : "Inga filer valda.";
  $("tom").hidden = !names.length;
  const errors = result.errors || 0;
  const read = `${names.length} ${names.length === 1 ? "fil läst" : "filer lästa"}`;
  return errors
    ? `${read}: ${errors} fel att rätta (se Problem och notiser).`
    : `${read}, inga fel.`;
}

function failure(data) {
  return [data.fel || "Något gick fel.", ...(data.problem || [])].join(" ");
}

async function upload(files) {
  if (!files.length) return;
  say("filstatus", "Läser filerna …");
  const body = new FormData();
  for (const f of files) body.append("filer", f, f.name);
  body.append("installningar", JSON.stringify(settings()));
  const {ok, data} = await call("filer", {method: "POST", body});
  if (!ok) { say("filstatus", failure(data), true); return; }
  say("filstatus", showCheck(data) + advice(data), data.errors > 0);
}

function advice(data) {  // where an error is fixed: in a file, or in the forms (step 3)
  let text = "";
  if (data.file_errors) text += " Rätta filen och välj den igen.";
  if (data.form_errors) text += " Rätta målen eller svarsfrekvensen under 3 och spara igen.";
  return text;
}

function formRow(table, values) {
  const kind = table.id;
  const row = table.tBodies[0].insertRow();
  forms.kolumner[kind].forEach(([name, help], i) => {
    const td = row.insertCell();
    const input = document.createElement("input");
    input.value = values[i] || "";
    input.title = help;
    input.setAttribute("aria-label", name);
    if (forms.listor[name]) input.setAttribute("list", "lista-" + name);
    td.appendChild(input);
  });
}

function formRows(table) {
  return [...table.tBodies[0].rows].map((row) =>
    [...row.querySelectorAll("input")].map((input) => input.value));
}

async function loadForms() {
  const {ok, data} = await call("formular");
  if (!ok) { say("formstatus", failure(data), true); return; }
  forms = data;
  if (data.fel) say("formstatus", data.fel, true);
  const help = $("hjalp");
  for (const [title, kind] of [["Mål", "mal"], ["Svarsfrekvens", "svarsfrekvens"]]) {
    for (const [name, text] of forms.kolumner[kind]) {
      const dt = document.createElement("dt"); dt.textContent = `${title}: ${name}`;
      const dd = document.createElement("dd"); dd.textContent = text;
      help.append(dt, dd);
    }
  }
  for (const [name, words] of Object.entries(forms.listor)) {
    const list = document.createElement("datalist");
    list.id = "lista-" + name;
    for (const w of words) { const o = document.createElement("option"); o.value = w; list.appendChild(o); }
    document.body.appendChild(list);
  }
  for (const kind of ["mal", "svarsfrekvens"]) {
    const table = $(kind);
    const head = table.tHead.insertRow();
    for (const [name, help] of forms.kolumner[kind]) {
      const th = document.createElement("th"); th.textContent = name; th.title = help; head.appendChild(th);
    }
    for (const values of forms[kind]) formRow(table, values);
    if (!forms[kind].length) formRow(table, []);
  }
  $("formfil").textContent = forms.fil || "mal_och_svarsfrekvens.xlsx";
}

async function saveForms() {
  say("formstatus", "Sparar …");
  const body = JSON.stringify({mal: formRows($("mal")), svarsfrekvens: formRows($("svarsfrekvens")),
                               installningar: settings()});
  const {ok, data} = await call("formular", {method: "POST", body,
                                             headers: {"Content-Type": "application/json"}});
  if (!ok) { say("formstatus", failure(data), true); return; }
  showCheck(data);
  const errors = data.errors || 0;
  const kept = data.forra ? ` Filen som den var före finns kvar som ${data.forra} (byt namn till .xlsx för att öppna den i Excel).` : "";
  say("formstatus", "Sparat i " + data.sparad + "." + kept + " " + (errors
    ? `${errors} fel (se Problem och notiser under 1).` : (data.files.length ? "Inga fel." : "")),
      errors > 0);
}

let polling = null;

function working(on) {  // nothing the build reads may change while it runs
  for (const id of ["bygg", "filer", "tom", "spara"]) $(id).disabled = on;
}

async function build() {
  working(true);
  $("resultat").hidden = true;
  $("byggproblem").replaceChildren();
  const {ok, data} = await call("bygg", {method: "POST", body: JSON.stringify(settings()),
                                         headers: {"Content-Type": "application/json"}});
  if (!ok) { say("byggstatus", failure(data), true); working(false); return; }
  $("framsteg").hidden = false;
  $("framsteg").removeAttribute("value");
  polling = setInterval(poll, 400);
}

async function poll() {
  const {ok, data} = await call("status");
  if (!ok) return;
  say("byggstatus", data.message, data.state === "fel");
  if (data.total) { $("framsteg").max = data.total; $("framsteg").value = data.done; }
  if (data.state === "läser" || data.state === "ritar") return;
  clearInterval(polling);
  $("framsteg").hidden = true;
  working(false);
  for (const line of data.problems || []) {
    const li = document.createElement("li"); li.textContent = line; $("byggproblem").appendChild(li);
  }
  if (data.state === "klar") showPack(data);
}

function showPack(data) {
  $("ladda").href = withToken("indikatorpaket.zip");
  $("mapp").textContent = "Paketet finns också i " + data.folder;
  $("sammanfattning").textContent = data.summary;
  const docs = $("dokument");
  docs.replaceChildren();
  for (const name of data.documents) {
    const a = document.createElement("a");
    a.href = withToken("paket/" + encodeURIComponent(name));
    a.target = "_blank";
    a.textContent = name;
    docs.append(a, " ");
  }
  $("diagramrubrik").textContent = `Diagrammen (${data.charts.length})`;
  const charts = $("diagram");
  charts.replaceChildren();
  for (const name of data.charts) {
    const img = document.createElement("img");
    img.loading = "lazy";
    img.alt = name;
    img.src = withToken("paket/" + name.split("/").map(encodeURIComponent).join("/"));
    charts.appendChild(img);
  }
  $("resultat").hidden = false;
}

$("filer").addEventListener("change", () => upload([...$("filer").files]));
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  upload([...e.dataTransfer.files]);
});
async function recheck(always) {  // the year and incomplete rows change what is read
  if (always !== true && $("hittat").hidden && $("problem").hidden) return;
  const {ok, data} = await call("kontrollera", {method: "POST", body: JSON.stringify(settings()),
                                                headers: {"Content-Type": "application/json"}});
  if (!ok) { say("filstatus", failure(data), true); return; }
  const text = showCheck(data);
  say("filstatus", data.files.length || data.errors ? text + advice(data) : "",
      data.errors > 0);
}
for (const id of ["ar", "ofullstandiga", "min_n"]) $(id).addEventListener("change", recheck);
$("tom").addEventListener("click", async () => {
  const {ok, data} = await call("filer/tom", {method: "POST"});
  if (!ok) { say("filstatus", failure(data), true); return; }
  say("filstatus", showCheck(data));
});
$("utanfor_skalan").addEventListener("change", recheck);
$("mal-rad").addEventListener("click", () => formRow($("mal"), []));
$("svar-rad").addEventListener("click", () => formRow($("svarsfrekvens"), []));
$("spara").addEventListener("click", saveForms);
$("bygg").addEventListener("click", build);
$("oppna").addEventListener("click", async () => {
  const {data} = await call("oppna", {method: "POST"});
  $("mapp").textContent = (data.oppnad ? "Öppnade " : "Kunde inte öppna mappen; den finns i ") +
    data.folder;
});
$("avsluta").addEventListener("click", async () => {
  const {ok, data} = await call("avsluta", {method: "POST"});
  if (!ok) { say("byggstatus", failure(data), true); return; }
  document.body.replaceChildren(Object.assign(document.createElement("p"), {
    textContent: "Programmet är avslutat. Du kan stänga fliken."}));
});
restore();
loadForms();
recheck(true);  // after a reload: the files chosen before, as the server has them
