// The browser side of the notifications page: permission and the Push API subscription through the service worker.
const b64 = s => {
    const pad = '='.repeat((4 - s.length % 4) % 4);
    const raw = atob((s + pad).replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(raw, c => c.charCodeAt(0));
};
const toB64Url = buf => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

export async function state() {
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    if (!supported()) return { supported: false, permission: 'unsupported', subscribed: false, timeZone };
    const reg = await navigator.serviceWorker.getRegistration('/');
    const sub = reg ? await reg.pushManager.getSubscription() : null;
    return { supported: true, permission: Notification.permission, subscribed: !!sub, timeZone };
}

export async function subscribe(publicKey) {
    if (!supported()) return { error: 'not supported by this browser' };
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return { error: `permission ${permission}` };
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const reg = await navigator.serviceWorker.ready;
    let sub = await reg.pushManager.getSubscription();
    if (sub && sub.options && sub.options.applicationServerKey &&
        toB64Url(sub.options.applicationServerKey) !== publicKey) { await sub.unsubscribe(); sub = null; }
    sub = sub || await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64(publicKey) });
    return { endpoint: sub.endpoint, p256dh: toB64Url(sub.getKey('p256dh')), auth: toB64Url(sub.getKey('auth')), error: null };
}

export async function unsubscribe() {
    if (!supported()) return null;
    const reg = await navigator.serviceWorker.getRegistration('/');
    const sub = reg ? await reg.pushManager.getSubscription() : null;
    if (!sub) return null;
    const endpoint = sub.endpoint;
    await sub.unsubscribe();
    return endpoint;
}
