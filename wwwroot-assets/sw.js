// HomeOps service worker (issue 17): the installed app's shell, the last problem report for the offline view, and
// Web Push notifications. It keeps only what the signed-in viewer's own browser fetched from /api/v1/problems; a 401/403
// (signed out, no longer a viewer) deletes it, and sign-out clears everything (Clear-Site-Data, and pwa.js on /signed-out).
'use strict';

const SHELL_CACHE = 'homeops-shell-v1';
const DATA_CACHE = 'homeops-data-v1';
const SNAPSHOT = '/api/v1/problems';
const OFFLINE_PAGE = '/offline.html';
const SHELL = [OFFLINE_PAGE, '/offline.js', '/offline.css', '/icon.svg', '/manifest.webmanifest'];

self.addEventListener('install', event => {
    event.waitUntil(caches.open(SHELL_CACHE).then(c => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
    event.waitUntil(
        caches.keys()
            .then(keys => Promise.all(keys.filter(k => k !== SHELL_CACHE && k !== DATA_CACHE).map(k => caches.delete(k))))
            .then(() => self.clients.claim()));
});

// Fetches the report with the viewer's cookie and keeps it; forgets it when the server says this browser may not see it.
async function refreshSnapshot(request) {
    const response = await fetch(request || new Request(SNAPSHOT, { credentials: 'same-origin', cache: 'no-store' }));
    const type = response.headers.get('content-type') || '';
    if (response.ok && !response.redirected && type.includes('application/json')) {
        const cache = await caches.open(DATA_CACHE);
        await cache.put(SNAPSHOT, response.clone());
    } else if (response.status === 401 || response.status === 403 || response.redirected) {
        await caches.delete(DATA_CACHE);
    }
    return response;
}

self.addEventListener('fetch', event => {
    const request = event.request;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) return;

    if (url.pathname === SNAPSHOT) {
        event.respondWith(refreshSnapshot(request).catch(async () =>
            (await caches.match(SNAPSHOT, { cacheName: DATA_CACHE })) ||
            new Response('{"error":"offline"}', { status: 503, headers: { 'content-type': 'application/json' } })));
        return;
    }

    if (request.mode === 'navigate') {
        // The dashboard unreachable (no answer, or a proxy's 502/503/504): the offline view, never a stale page as live.
        event.respondWith(fetch(request)
            .then(r => (r.status === 502 || r.status === 503 || r.status === 504) ? offlinePage(r) : r)
            .catch(() => offlinePage(null)));
        return;
    }

    if (SHELL.includes(url.pathname)) {
        event.respondWith(fetch(request).catch(async () => (await caches.match(url.pathname, { cacheName: SHELL_CACHE })) || Response.error()));
    }
});

async function offlinePage(fallback) {
    return (await caches.match(OFFLINE_PAGE, { cacheName: SHELL_CACHE })) || fallback || Response.error();
}

self.addEventListener('message', event => {
    if (event.data === 'refresh') event.waitUntil(refreshSnapshot().catch(() => undefined));
    if (event.data === 'clear') event.waitUntil(caches.delete(DATA_CACHE));
});

self.addEventListener('push', event => {
    let data = {};
    try { data = event.data ? event.data.json() : {}; } catch { data = { body: event.data ? event.data.text() : '' }; }
    event.waitUntil(self.registration.showNotification(data.title || 'HomeOps', {
        body: data.body || '',
        tag: data.tag || undefined,
        renotify: !!data.tag,
        icon: '/icon.svg',
        data: { url: data.url || '/' },
    }));
});

self.addEventListener('notificationclick', event => {
    event.notification.close();
    const target = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
    if (target.origin !== self.location.origin) return;
    event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(windows => {
        for (const w of windows) {
            if ('navigate' in w && 'focus' in w) return w.navigate(target.href).then(c => (c || w).focus());
        }
        return self.clients.openWindow(target.href);
    }));
});
