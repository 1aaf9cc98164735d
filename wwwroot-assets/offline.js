// The offline view: the last problem report the service worker kept, with its age. Never shown as live.
'use strict';
(function () {
    const $ = id => document.querySelector(`[data-testid=${id}]`);
    const pad = n => String(n).padStart(2, '0');
    const age = ms => {
        const s = Math.max(0, Math.floor(ms / 1000));
        if (s < 60) return `${s} s`;
        if (s < 3600) return `${Math.floor(s / 60)} min`;
        if (s < 172800) return `${Math.floor(s / 3600)} h`;
        return `${Math.floor(s / 86400)} d`;
    };

    function render(report) {
        const at = new Date(report.generatedAt);
        $('offline-freshness').textContent =
            `offline — last known at ${pad(at.getHours())}:${pad(at.getMinutes())} (${age(Date.now() - at.getTime())} ago)`;
        const verdict = $('offline-verdict');
        verdict.textContent = report.verdict;
        verdict.dataset.health = report.worst;
        const list = $('offline-problems');
        list.replaceChildren();
        for (const p of report.problems || []) {
            const li = document.createElement('li');
            li.dataset.health = p.health;
            li.dataset.area = p.area;
            li.dataset.testid = 'offline-problem';
            const name = document.createElement('strong');
            name.textContent = `${p.health} · ${p.kind} ${p.namespace ? p.namespace + '/' : ''}${p.name}`;
            const reason = document.createElement('span');
            reason.textContent = `${p.reason}: ${p.message}`;
            const since = document.createElement('span');
            since.className = 'since';
            since.textContent = p.since ? `${p.area} · since ${new Date(p.since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : p.area;
            li.append(name, reason, since);
            list.append(li);
        }
    }

    async function load() {
        if (!window.caches) return;
        const response = await caches.match('/api/v1/problems', { cacheName: 'homeops-data-v1' });
        if (!response) {
            $('offline-freshness').textContent = 'offline — nothing known: open the dashboard once while signed in';
            return;
        }
        render(await response.json());
    }

    $('offline-retry').addEventListener('click', () => location.reload());
    load();
    // The age keeps moving while the page stays open.
    setInterval(load, 30000);
})();
