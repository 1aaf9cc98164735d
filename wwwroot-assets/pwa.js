// Registers the service worker and keeps its copy of the last problem report fresh while a signed-in page is open.
// On the signed-out page it clears everything the worker kept (Clear-Site-Data does the same where supported).
'use strict';
(function () {
    if (!('serviceWorker' in navigator)) return;
    const path = location.pathname;
    if (path === '/signed-out') {
        if (window.caches) caches.keys().then(keys => keys.forEach(k => caches.delete(k)));
        navigator.serviceWorker.getRegistrations().then(rs => rs.forEach(r => r.unregister()));
        return;
    }
    // Sign-in and break-glass pages are for people without a session: nothing to keep there.
    if (path.startsWith('/breakglass') || path.startsWith('/signin') || path === '/access-denied') return;
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
    const refresh = () => navigator.serviceWorker.ready.then(reg => reg.active && reg.active.postMessage('refresh'));
    refresh();
    setInterval(() => { if (document.visibilityState === 'visible') refresh(); }, 60000);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') refresh(); });
})();
