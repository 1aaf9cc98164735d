// Reports document visibility to the circuit; views pause their store subscription while the tab is hidden.
// A phone usually becomes visible again before its connection is back: that report cannot reach the server, and the
// views would stay paused on old data. So the state is reported again whenever the circuit reconnects
// (ReconnectModal.razor.js raises "homeops:reconnected").
let dotnet = null;

function report() {
    if (dotnet) dotnet.invokeMethodAsync("OnVisibilityChanged", document.visibilityState === "hidden").catch(() => { });
}

export function start(ref) {
    dotnet = ref;
    document.addEventListener("visibilitychange", report);
    document.addEventListener("homeops:reconnected", report);
    report();
}

export function stop() {
    document.removeEventListener("visibilitychange", report);
    document.removeEventListener("homeops:reconnected", report);
    dotnet = null;
}
