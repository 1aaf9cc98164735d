using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Authentik;
using HomeOps.Simulator.Scenarios;
using HomeOps.Simulator.Store;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>Scenarios move the cluster through the same store the API serves, deterministically and by name.</summary>
public sealed class ScenarioTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await SimulatorTestHost.StartAsync();
        _http = _host.KubernetesClient(Timeout.InfiniteTimeSpan);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public void All_eleven_scenarios_are_known_by_name()
    {
        Assert.Equal(["node-notready", "helmrelease-fails", "volume-degrades", "bgp-drops", "outpost-silent", "token-expiry", "secret-store-fails",
            "vip-stops-answering", "image-pull-fails", "backup-target-unavailable", "backup-goes-stale"], _host.Scenarios.Names);
        Assert.Throws<ArgumentException>(() => _host.Scenarios.Trigger("meteor-strike"));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sequence_and_another_seed_another()
    {
        async Task<List<ScenarioStep>> Run(int seed)
        {
            await using var host = await SimulatorTestHost.StartAsync(o => o.Scenarios.Seed = seed);
            for (var i = 0; i < 16; i++) host.Scenarios.Step();
            return host.Scenarios.History.ToList();
        }

        var first = await Run(7);
        var again = await Run(7);
        var other = await Run(8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // The sequence alternates: trigger one, then recover it.
        for (var i = 0; i < first.Count; i += 2)
        {
            Assert.Equal(ScenarioPhase.Triggered, first[i].Phase);
            Assert.Equal(new ScenarioStep(first[i].Scenario, ScenarioPhase.Recovered), first[i + 1]);
        }
        Assert.True(first.Select(s => s.Scenario).Distinct().Count() >= 3);
    }

    [Theory]
    [InlineData("node-notready")]
    [InlineData("helmrelease-fails")]
    [InlineData("volume-degrades")]
    [InlineData("bgp-drops")]
    [InlineData("secret-store-fails")]
    [InlineData("backup-target-unavailable")]
    [InlineData("backup-goes-stale")]
    public async Task Each_cluster_scenario_is_seen_by_a_watch_on_every_kind_it_touches(string name)
    {
        var rv = _host.Cluster.ResourceVersion;
        var outcome = _host.Scenarios.Trigger(name);
        var recovered = _host.Scenarios.Recover(name);

        Assert.Equal(ScenarioPhase.Triggered, outcome.Phase);
        Assert.NotEmpty(outcome.Touched);
        foreach (var kind in outcome.Touched.Concat(recovered.Touched).Select(t => t.Kind).DistinctBy(k => k.Key))
        {
            var path = kind.Group.Length == 0 ? $"/api/v1/{kind.Plural}" : $"/apis/{kind.ApiVersion}/{kind.Plural}";
            await using var watch = await WatchStream.OpenAsync(_http, $"{path}?watch=true&resourceVersion={rv}");
            var expected = outcome.Touched.Concat(recovered.Touched).Where(t => t.Kind.Key == kind.Key).Select(t => t.Name).ToHashSet();
            var seen = new HashSet<string>();
            while (!expected.IsSubsetOf(seen))
            {
                var line = await watch.NextAsync() ?? throw new InvalidOperationException("watch ended");
                Assert.Equal("MODIFIED", line.Type);
                seen.Add(line.Name!);
            }
        }
    }

    [Fact]
    public async Task Node_notready_takes_mini02_down_with_a_taint_and_brings_it_back()
    {
        var rv = (await _http.GetObjectAsync("/api/v1/nodes")).Str("metadata", "resourceVersion");
        await using var watch = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={rv}&fieldSelector=metadata.name%3Dmini02");

        _host.Scenarios.Trigger("node-notready");
        var down = await watch.NextAsync();
        _host.Scenarios.Recover("node-notready");
        var up = await watch.NextAsync();

        var ready = down!.Object.Condition("Ready")!;
        Assert.Equal(("False", "KubeletNotReady"), (ready.Str("status"), ready.Str("reason")));
        Assert.Contains(down.Object["spec"]!["taints"]!.AsArray(), t => t.Str("key") == "node.kubernetes.io/not-ready" && t.Str("effect") == "NoSchedule");
        Assert.Equal("True", up!.Object.Condition("Ready").Str("status"));
        Assert.Null(up.Object["spec"]!["taints"]);
        Assert.Equal(["node-notready"], _host.Scenarios.History.Select(s => s.Scenario).Distinct());
    }

    [Fact]
    public void Helmrelease_fails_and_its_dependents_wait_on_their_first_unready_dependency()
    {
        _host.Scenarios.Trigger("helmrelease-fails");

        JsonObject Ready(KindInfo kind, string ns, string name) => _host.Cluster.Get(kind, ns, name)!.Condition("Ready")!;
        var release = Ready(Kinds.HelmRelease, "longhorn-system", "longhorn");
        Assert.Equal(("False", "UpgradeFailed"), (release.String("status"), release.String("reason")));
        var owner = Ready(Kinds.Kustomization, "flux-system", "infrastructure-longhorn");
        Assert.Equal(("False", "HealthCheckFailed"), (owner.String("status"), owner.String("reason")));
        Assert.Contains("HelmRelease/longhorn-system/longhorn", owner.String("message"));

        var postgres = Ready(Kinds.Kustomization, "flux-system", "infrastructure-postgresql-cluster");
        Assert.Equal(("False", "DependencyNotReady"), (postgres.String("status"), postgres.String("reason")));
        Assert.Equal("dependency 'flux-system/infrastructure-longhorn' is not ready", postgres.String("message"));
        Assert.Equal("dependency 'flux-system/infrastructure-postgresql-cluster' is not ready",
            Ready(Kinds.Kustomization, "flux-system", "infrastructure-authentik").String("message"));
        Assert.Equal("dependency 'flux-system/infrastructure-authentik' is not ready",
            Ready(Kinds.Kustomization, "flux-system", "infrastructure-authentik-proxy").String("message"));
        var waiting = _host.Cluster.List(Kinds.Kustomization).Items.Where(k => k.Condition("Ready")!.String("reason") == "DependencyNotReady").Select(k => k.Name());
        Assert.Equal(["apps-home-automation", "infrastructure-authentik", "infrastructure-authentik-outpost-config", "infrastructure-authentik-proxy",
            "infrastructure-cnpg-monitoring", "infrastructure-postgresql-cluster"], waiting.Order());
        Assert.Equal("True", Ready(Kinds.Kustomization, "flux-system", "infrastructure-cert-manager").String("status"));

        _host.Scenarios.Recover("helmrelease-fails");
        Assert.All(_host.Cluster.List(Kinds.Kustomization).Items, k => Assert.Equal("True", k.Condition("Ready")!.String("status")));
        Assert.Equal("UpgradeSucceeded", Ready(Kinds.HelmRelease, "longhorn-system", "longhorn").String("reason"));
    }

    [Fact]
    public async Task Backup_target_unavailable_is_served_as_longhorn_reports_it_and_judged_failed_then_recovers()
    {
        var rv = _host.Cluster.ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(_http, $"/apis/longhorn.io/v1beta2/namespaces/longhorn-system/backuptargets?watch=true&resourceVersion={rv}");

        _host.Scenarios.Trigger("backup-target-unavailable");
        var down = await watch.NextAsync();
        Assert.Equal(("MODIFIED", "default"), (down!.Type, down.Name));
        Assert.False(down.Object["status"]!["available"]!.GetValue<bool>());
        var condition = down.Object.Condition("Unavailable")!;
        Assert.Equal(("True", "Unavailable"), (condition.Str("status"), condition.Str("reason")));
        var verdict = HomeOps.Cluster.Health.ResourceDecoder.Decode(Kinds.LonghornBackupTarget,
            System.Text.Json.JsonSerializer.SerializeToElement(down.Object), DateTimeOffset.UtcNow).Verdict;
        Assert.Equal(HealthStatus.Failed, verdict.Health);
        Assert.Contains("InvalidAccessKeyId", verdict.Message);

        _host.Scenarios.Recover("backup-target-unavailable");
        var up = await watch.NextAsync();
        Assert.True(up!.Object["status"]!["available"]!.GetValue<bool>());
        Assert.Equal(HealthStatus.Healthy, HomeOps.Cluster.Health.ResourceDecoder.Decode(Kinds.LonghornBackupTarget,
            System.Text.Json.JsonSerializer.SerializeToElement(up.Object), DateTimeOffset.UtcNow).Verdict.Health);
    }

    [Fact]
    public void The_simulator_serves_home_ops_recurring_jobs_and_backup_groups_that_match_them()
    {
        var jobs = _host.Cluster.List(Kinds.LonghornRecurringJob).Items;
        Assert.Equal(15, jobs.Count);
        var weekly = jobs.Single(j => j.Name() == "database-weekly-backup");
        Assert.Equal(("backup", "0 4 * * 0"), (weekly["spec"]!["task"]!.GetValue<string>(), weekly["spec"]!["cron"]!.GetValue<string>()));
        var groups = jobs.Where(j => j["spec"]!["task"]!.GetValue<string>() == "backup")
            .SelectMany(j => j["spec"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>())).ToHashSet();
        // Every group a seeded volume joins has a backup job (no label at all: Longhorn's default group, no backup policy).
        foreach (var v in HomeOps.Simulator.Seed.LonghornCatalogue.Volumes.Where(v => v.BackupGroup is not null))
            Assert.Contains(v.BackupGroup!, groups);
    }

    [Fact]
    public void Backup_goes_stale_ages_the_volume_and_its_backup_past_the_weekly_max_age_then_a_backup_runs()
    {
        var volume = HomeOps.Simulator.Seed.LonghornCatalogue.Volumes.First(v => v.PvcName == "postgresql-cluster-2");
        DateTimeOffset LastBackupAt() => DateTimeOffset.Parse(
            _host.Cluster.Get(Kinds.LonghornVolume, "longhorn-system", volume.VolumeName)!["status"]!["lastBackupAt"]!.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture);
        DateTimeOffset BackupCreatedAt() => DateTimeOffset.Parse(
            _host.Cluster.Get(Kinds.LonghornBackup, "longhorn-system", volume.BackupName!)!["status"]!["backupCreatedAt"]!.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture);

        var outcome = _host.Scenarios.Trigger("backup-goes-stale");
        Assert.Contains(outcome.Touched, t => t.Kind == Kinds.LonghornBackup);
        Assert.True(DateTimeOffset.UtcNow - LastBackupAt() > TimeSpan.FromDays(14) + TimeSpan.FromHours(6));
        Assert.Equal(LastBackupAt(), BackupCreatedAt());

        _host.Scenarios.Recover("backup-goes-stale");
        Assert.True(DateTimeOffset.UtcNow - LastBackupAt() < TimeSpan.FromHours(1));
        Assert.Equal(LastBackupAt(), BackupCreatedAt());
    }

    [Fact]
    public void Image_pull_fails_after_a_chart_bump_recorded_as_a_failed_release_and_the_rollback_reverts_it()
    {
        var before = _host.Cluster.Get(Kinds.HelmRelease, "headlamp", "headlamp")!;
        var generation = before.Generation();
        _host.Scenarios.Trigger("image-pull-fails");

        var failed = _host.Cluster.Get(Kinds.HelmRelease, "headlamp", "headlamp")!;
        Assert.Equal("0.40.1", failed["spec"]!["chart"]!["spec"]!["version"]!.GetValue<string>());
        Assert.Equal(generation + 1, failed.Generation());
        Assert.Equal(failed.Generation(), long.Parse(failed["status"]!["observedGeneration"]!.ToJsonString()));
        var history = failed["status"]!["history"]!.AsArray();
        Assert.Equal(("0.40.1", "failed"), (history[0]!["chartVersion"]!.GetValue<string>(), history[0]!["status"]!.GetValue<string>()));
        Assert.Equal(("0.40.0", "deployed"), (history[1]!["chartVersion"]!.GetValue<string>(), history[1]!["status"]!.GetValue<string>()));
        Assert.Equal("UpgradeFailed", failed.Condition("Ready")!.String("reason"));

        _host.Scenarios.Recover("image-pull-fails");
        var recovered = _host.Cluster.Get(Kinds.HelmRelease, "headlamp", "headlamp")!;
        Assert.Equal("0.40.0", recovered["spec"]!["chart"]!["spec"]!["version"]!.GetValue<string>());
        Assert.Equal(recovered.Generation(), long.Parse(recovered["status"]!["observedGeneration"]!.ToJsonString()));
        Assert.Equal("0.40.0", recovered["status"]!["history"]![0]!["chartVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Volume_degrades_while_a_replica_rebuilds_then_heals()
    {
        var volume = Seed.LonghornCatalogue.DegradingVolume.VolumeName;
        var triggered = _host.Scenarios.Trigger("volume-degrades");

        var degraded = _host.Cluster.Get(Kinds.LonghornVolume, "longhorn-system", volume)!;
        Assert.Equal("degraded", degraded["status"].String("robustness"));
        Assert.NotEqual("", degraded["status"].String("lastDegradedAt"));
        var rebuildNode = triggered.Touched.Single(t => t.Kind.Key == Kinds.LonghornNode.Key).Name;
        var replicasOnTarget = _host.Cluster.Get(Kinds.LonghornNode, "longhorn-system", rebuildNode)!["status"]!["diskStatus"]!
            .AsObject().SelectMany(d => d.Value!["scheduledReplica"]!.AsObject().Select(r => r.Key));
        Assert.Contains(replicasOnTarget, r => r.StartsWith(volume + "-r-", StringComparison.Ordinal));

        _host.Scenarios.Recover("volume-degrades");
        Assert.Equal("healthy", _host.Cluster.Get(Kinds.LonghornVolume, "longhorn-system", volume)!["status"].String("robustness"));
        var holders = _host.Cluster.List(Kinds.LonghornNode).Items.Count(n => n["status"]!["diskStatus"]!.AsObject()
            .Any(d => d.Value!["scheduledReplica"]!.AsObject().Any(r => r.Key.StartsWith(volume + "-r-", StringComparison.Ordinal))));
        Assert.Equal(2, holders);
    }

    [Fact]
    public void Bgp_drops_on_mini03_then_reestablishes()
    {
        JsonNode Peer() => _host.Cluster.Get(Kinds.BgpNodeConfig, null, "mini03")!["status"]!["bgpInstances"]![0]!["peers"]![0]!;
        var before = Peer().String("establishedTime");

        _host.Scenarios.Trigger("bgp-drops");
        var dropped = Peer();
        Assert.Equal("active", dropped.String("peeringState"));
        Assert.Null(dropped["establishedTime"]);
        Assert.Equal("established", _host.Cluster.Get(Kinds.BgpNodeConfig, null, "mini02")!["status"]!["bgpInstances"]![0]!["peers"]![0].String("peeringState"));

        _host.Scenarios.Recover("bgp-drops");
        Assert.Equal("established", Peer().String("peeringState"));
        Assert.NotEqual(before, Peer().String("establishedTime"));
    }

    [Fact]
    public async Task Outpost_silent_empties_the_external_outposts_health_until_it_recovers()
    {
        using var authentik = _host.AuthentikClient();
        var url = $"/api/v3/outposts/instances/{AuthentikState.ExternalOutpostId}/health/";

        _host.Scenarios.Trigger("outpost-silent");
        var (_, silent) = await authentik.GetJsonAsync(url);
        var (_, embedded) = await authentik.GetJsonAsync($"/api/v3/outposts/instances/{AuthentikState.EmbeddedOutpostId}/health/");
        _host.Scenarios.Recover("outpost-silent");
        var (_, back) = await authentik.GetJsonAsync(url);

        Assert.Empty(silent!.AsArray());
        Assert.NotEmpty(embedded!.AsArray());
        Assert.Equal(2, back!.AsArray().Count);
    }

    [Fact]
    public async Task Token_expiry_brings_the_dashboard_token_within_a_week_then_rotates_it()
    {
        using var authentik = _host.AuthentikClient();
        async Task<TimeSpan> Left()
        {
            var page = await authentik.GetObjectAsync($"/api/v3/core/tokens/?identifier={AuthentikState.DashboardTokenIdentifier}");
            return DateTimeOffset.Parse(page["results"]![0].Str("expires")!) - DateTimeOffset.UtcNow;
        }

        _host.Scenarios.Trigger("token-expiry");
        var near = await Left();
        _host.Scenarios.Recover("token-expiry");
        var rotated = await Left();

        Assert.InRange(near, TimeSpan.FromDays(1), TimeSpan.FromDays(7));
        Assert.True(rotated > TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task The_background_loop_steps_at_its_interval_when_enabled()
    {
        await using var host = await SimulatorTestHost.StartAsync(o =>
        {
            o.Scenarios.Enabled = true;
            o.Scenarios.Interval = TimeSpan.FromMilliseconds(50);
        });

        var steps = await Eventually.Until(() => host.Scenarios.History, h => h.Count >= 4, "four scenario steps");

        Assert.Equal(ScenarioPhase.Triggered, steps[0].Phase);
        Assert.Equal(new ScenarioStep(steps[0].Scenario, ScenarioPhase.Recovered), steps[1]);
    }
}
