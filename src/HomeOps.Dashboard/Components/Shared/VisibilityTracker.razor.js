// Reports document visibility to the circuit; views pause their store subscription while the tab is hidden.
let dotnet = null;

function report() {
    if (dotnet) dotnet.invokeMethodAsync("OnVisibilityChanged", document.visibilityState === "hidden").catch(() => { });
}

export function start(ref) {
    dotnet = ref;
    document.addEventListener("visibilitychange", report);
    report();
}

export function stop() {
    document.removeEventListener("visibilitychange", report);
    dotnet = null;
}
