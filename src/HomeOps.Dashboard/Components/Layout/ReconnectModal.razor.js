// Drives the reconnect banner and the app bar's connection indicator from Blazor's reconnect events,
// and retries at once when the tab becomes visible (phones suspend background tabs and drop the socket).
const banner = document.getElementById("components-reconnect-modal");
const indicatorState = {
    "show": "reconnecting",
    "retrying": "reconnecting",
    "paused": "paused",
    "hide": "connected",
    "failed": "disconnected",
    "resume-failed": "disconnected",
    "rejected": "disconnected",
};
let current = "connected";

banner.addEventListener("components-reconnect-state-changed", onStateChanged);
document.getElementById("components-reconnect-button").addEventListener("click", retry);
document.getElementById("components-resume-button").addEventListener("click", resume);
// A phone that wakes: the tab becomes visible, a frozen page is resumed (Page Lifecycle "resume"), the radio comes
// back ("online"). Any of them retries at once instead of waiting for Blazor's back-off, which may be many seconds.
document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") retryIfDown();
});
document.addEventListener("resume", retryIfDown);
window.addEventListener("online", retryIfDown);
window.addEventListener("pageshow", event => {
    // Restored from the back/forward cache: the circuit that page had is gone for good.
    if (event.persisted) location.reload();
});

function retryIfDown() {
    if (current !== "connected") retry();
}

function onStateChanged(event) {
    const state = event.detail.state;
    setIndicator(indicatorState[state] ?? state);
    if (state === "hide") {
        if (banner.open) banner.close();
    } else if (state === "rejected") {
        location.reload();
    } else if (!banner.open) {
        banner.show();   // not showModal(): the page stays readable underneath
    }
}

function setIndicator(state) {
    const wasDown = current !== "connected";
    current = state;
    // Anything that reported to the server while the connection was down (VisibilityTracker) reports again.
    if (wasDown && state === "connected") document.dispatchEvent(new Event("homeops:reconnected"));
    // For styles (app.css marks every freshness chip "not live") and tests: the page-wide connection state.
    document.documentElement.dataset.connection = state;
    for (const el of document.querySelectorAll("[data-testid='connection-state']")) {
        el.dataset.state = state;
        const text = el.querySelector(".connection-text");
        if (text) text.textContent = state;
    }
}

let retrying = false;

async function retry() {
    if (retrying) return;   // visibilitychange, resume and online often arrive together
    retrying = true;
    try {
        // true: reconnected; false: the server is up but the circuit is gone; throws: server unreachable.
        const reconnected = await Blazor.reconnect();
        if (!reconnected) {
            const resumed = await Blazor.resumeCircuit();
            if (!resumed) location.reload();
            else { setIndicator("connected"); if (banner.open) banner.close(); }
        }
    } catch {
        // Still unreachable: Blazor keeps retrying on its schedule, and we retry on the next visibility change.
    } finally {
        retrying = false;
    }
}

async function resume() {
    try {
        const resumed = await Blazor.resumeCircuit();
        if (!resumed) location.reload();
    } catch {
        banner.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}
