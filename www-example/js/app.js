// Entry point: a hash router over three views, and the settings dialog.
import { currentSettings, DEFAULTS, saveSettings } from "./api.js";
import { renderDetail } from "./detail.js";
import { renderForm } from "./form.js";
import { renderList } from "./list.js";
import { status } from "./ui.js";

const view = document.getElementById("view");
let leaving = null; // aborts the current view's requests when the user navigates away

function route() {
  leaving?.abort();
  leaving = new AbortController();
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const detail = /^\/customers\/(.+)$/.exec(path);
  window.scrollTo(0, 0);
  if (path === "/new") return renderForm(view, params, leaving.signal);
  if (detail) {
    params.set("id", decodeURIComponent(detail[1]));
    return renderDetail(view, params, leaving.signal);
  }
  return renderList(view, params, leaving.signal);
}

// ---- settings ----
const dialog = document.getElementById("settings");
const form = document.getElementById("settings-form");

function showConnection() {
  const { baseUrl, apiKey, fault } = currentSettings();
  const proxied = (baseUrl || DEFAULTS.baseUrl) === DEFAULTS.baseUrl && !apiKey;
  const label = document.getElementById("connection");
  label.textContent = proxied ? "via this server's proxy (no key in the browser)" : `${baseUrl}${apiKey ? " · API key in browser" : ""}`;
  label.classList.toggle("warn", Boolean(apiKey));
  if (fault) label.textContent += ` · simulating: ${fault.split(";id=")[0]}`;
}

document.getElementById("open-settings").addEventListener("click", async () => {
  const s = currentSettings();
  form.baseUrl.value = s.baseUrl;
  form.apiKey.value = s.apiKey;
  form.fault.value = [...form.fault.options].some((o) => o.value === s.fault.split(";id=")[0]) ? s.fault.split(";id=")[0] : "";
  dialog.showModal();
  // This example's server says how to reach the fake Lago directly, with a key.
  const hint = document.getElementById("direct-hint");
  try {
    const res = await fetch("/example-config.json");
    if (!res.ok) return;
    const { lagoUrl, demoKey } = await res.json();
    const use = document.createElement("button");
    use.type = "button";
    use.className = "link";
    use.textContent = "use these";
    use.onclick = () => { form.baseUrl.value = lagoUrl; form.apiKey.value = demoKey; };
    hint.replaceChildren("To call the fake Lago directly (CORS allowed): ", Object.assign(document.createElement("code"), { textContent: lagoUrl }),
      " with key ", Object.assign(document.createElement("code"), { textContent: demoKey }), " — ", use, ".");
    hint.hidden = false;
  } catch { /* not this example's server: no hint */ }
});
document.getElementById("settings-reset").addEventListener("click", () => {
  form.baseUrl.value = DEFAULTS.baseUrl;
  form.apiKey.value = "";
  form.fault.value = "";
});
dialog.addEventListener("close", () => {
  if (dialog.returnValue !== "save") return;
  try {
    saveSettings({ baseUrl: form.baseUrl.value.trim() || DEFAULTS.baseUrl, apiKey: form.apiKey.value.trim(), fault: form.fault.value });
  } catch (err) {
    status.error(`Settings not saved: ${err.message}`);
    return;
  }
  showConnection();
  status.info("Settings saved.");
  route();
});

window.addEventListener("hashchange", route);
showConnection();
route();
