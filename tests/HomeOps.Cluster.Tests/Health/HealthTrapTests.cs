using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>One test per trap FIELDS.md and the cluster brief warn about.</summary>
public sealed class HealthTrapTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-21T12:00:00Z");

    private static ResourceSnapshot Decode(KindInfo kind, string json) => ResourceDecoder.Decode(kind, Json.Parse(json), Now);

    // ------------------------------------------------------------------ Flux

    [Fact]
    public void A_suspended_kustomization_is_Suspended_although_its_old_status_says_Ready()
    {
        var s = Decode(Kinds.Kustomization, """
            {'metadata':{'name':'apps','namespace':'flux-system','generation':1},'spec':{'suspend':true},
             'status':{'observedGeneration':1,'conditions':[{'type':'Ready','status':'True','reason':'ReconciliationSucceeded','message':'Applied revision: main@sha1:abc'}]}}
            """);
        Assert.Equal(HealthStatus.Suspended, s.Verdict.Health);
        Assert.Equal("Suspended", s.Verdict.Reason);
        Assert.True(((KustomizationDetails)s.Details).Suspended);
        Assert.True(s.Verdict.IsOk);
    }

    [Fact]
    public void A_suspended_object_that_was_failing_is_still_Suspended()
    {
        var s = Decode(Kinds.HelmRelease, """
            {'metadata':{'name':'x','namespace':'y'},'spec':{'suspend':true},
             'status':{'conditions':[{'type':'Stalled','status':'True','reason':'RetriesExceeded'},{'type':'Ready','status':'False','reason':'UpgradeFailed'}]}}
            """);
        Assert.Equal(HealthStatus.Suspended, s.Verdict.Health);
    }

    [Theory]
    [InlineData(3, 2, HealthStatus.Progressing, "ObservedGenerationLag")]
    [InlineData(3, 3, HealthStatus.Healthy, "ReconciliationSucceeded")]
    [InlineData(0, 2, HealthStatus.Healthy, "ReconciliationSucceeded")] // fragment without metadata.generation: no judgement
    public void Ready_True_counts_only_for_the_current_generation(long generation, long observed, HealthStatus health, string reason)
    {
        var s = Decode(Kinds.Kustomization, $$$"""
            {'metadata':{'name':'a','namespace':'flux-system','generation':{{{generation}}}},
             'status':{'observedGeneration':{{{observed}}},'conditions':[{'type':'Ready','status':'True','reason':'ReconciliationSucceeded','message':'ok'}]}}
            """);
        Assert.Equal((health, reason), (s.Verdict.Health, s.Verdict.Reason));
        if (health == HealthStatus.Progressing) Assert.Contains("older spec", s.Verdict.Message);
    }

    [Fact]
    public void Ready_Unknown_is_Progressing_and_not_a_failure()
    {
        var s = Decode(Kinds.Kustomization, """
            {'metadata':{'name':'a','namespace':'b'},'status':{'conditions':[
              {'type':'Reconciling','status':'True','reason':'Progressing','message':'Building manifests for revision main@sha1:1'},
              {'type':'Ready','status':'Unknown','reason':'Progressing','message':'Reconciliation in progress'}]}}
            """);
        Assert.Equal(HealthStatus.Progressing, s.Verdict.Health);
        Assert.Contains("Building manifests", s.Verdict.Message);
    }

    [Fact]
    public void Ready_False_while_retrying_is_Failed()
    {
        var s = Decode(Kinds.Kustomization, """
            {'metadata':{'name':'a','namespace':'b'},'status':{'conditions':[
              {'type':'Reconciling','status':'True','reason':'ProgressingWithRetry','message':'Detecting drift'},
              {'type':'Ready','status':'False','reason':'HealthCheckFailed','message':'timeout waiting for: [Deployment/x/y status: InProgress]'}]}}
            """);
        Assert.Equal((HealthStatus.Failed, "HealthCheckFailed"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("retrying", s.Verdict.Message);
    }

    [Fact]
    public void A_status_only_DependencyNotReady_fragment_without_apiVersion_is_recognised_and_waiting()
    {
        // Shape of the held-back real fragment: kind and name, no apiVersion/namespace, status only.
        var obj = Json.Parse("""
            {'kind':'Kustomization','metadata':{'name':'ca-bundles'},'status':{'conditions':[
              {'type':'Ready','status':'False','reason':'DependencyNotReady','message':'dependency \u0027flux-system/trust-manager\u0027 revision is not up to date',
               'lastTransitionTime':'2025-09-04T10:00:00Z'}]}}
            """);
        var s = ResourceDecoder.TryDecode(obj, Now);
        Assert.NotNull(s);
        Assert.Equal(Kinds.Kustomization.Key, s.Kind.Key);
        Assert.Equal((HealthStatus.Degraded, "DependencyNotReady"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Null(s.Meta.Namespace);
    }

    [Theory]
    [InlineData("{'conditions':[{'type':'Ready','status':'False','reason':'ReconciliationFailed','message':'dry-run failed: Forbidden\\n'}]}")]
    [InlineData("{'status':{'conditions':[{'type':'Ready','status':'False','reason':'ReconciliationFailed','message':'dry-run failed: Forbidden\\n'}]}}")]
    [InlineData("{'type':'Ready','status':'False','reason':'ReconciliationFailed','message':'dry-run failed: Forbidden\\n'}")]
    [InlineData("[{'type':'Ready','status':'False','reason':'ReconciliationFailed','message':'dry-run failed: Forbidden\\n'}]")]
    public void Status_fragments_a_bare_status_a_lone_condition_or_a_condition_list_are_read(string json)
    {
        // Real captures are often partial (a pasted status: block or one condition).
        var s = Decode(Kinds.Kustomization, json);
        Assert.Equal((HealthStatus.Failed, "ReconciliationFailed"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.EndsWith("\n", s.Verdict.Message);
    }

    [Fact]
    public void A_v2beta1_HelmRelease_with_split_conditions_is_Failed_UpgradeFailed()
    {
        var obj = Json.Parse("""
            {'apiVersion':'helm.toolkit.fluxcd.io/v2beta1','kind':'HelmRelease','metadata':{'name':'podinfo','namespace':'default'},
             'status':{'conditions':[{'type':'Ready','status':'False','reason':'UpgradeFailed','message':'Helm upgrade failed: timed out'},
                                     {'type':'Released','status':'False','reason':'UpgradeFailed'}],
                       'lastAppliedRevision':'6.0.0','lastReleaseRevision':3,'failures':2,'upgradeFailures':2}}
            """);
        var s = ResourceDecoder.TryDecode(obj, Now)!;
        Assert.Equal("v2beta1", s.Kind.Version);
        Assert.Equal((HealthStatus.Failed, "UpgradeFailed"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Equal(2, ((HelmReleaseDetails)s.Details).UpgradeFailures);
    }

    [Fact]
    public void HelmRelease_Ready_with_failed_ignored_tests_or_drift_is_Degraded()
    {
        var s = Decode(Kinds.HelmRelease, """
            {'metadata':{'name':'a','namespace':'b'},'status':{'conditions':[
              {'type':'Ready','status':'True','reason':'UpgradeSucceeded'},{'type':'TestSuccess','status':'False','reason':'TestFailed','message':'1 test failed'}]}}
            """);
        Assert.Equal((HealthStatus.Degraded, "TestFailed"), (s.Verdict.Health, s.Verdict.Reason));
        var d = Decode(Kinds.HelmRelease, """
            {'metadata':{'name':'a','namespace':'b'},'status':{'conditions':[
              {'type':'Ready','status':'True','reason':'UpgradeSucceeded'},{'type':'Drifted','status':'True','reason':'DriftDetected','message':'1 object changed'}]}}
            """);
        Assert.Equal((HealthStatus.Degraded, "DriftDetected"), (d.Verdict.Health, d.Verdict.Reason));
    }

    [Fact]
    public void Conditions_are_found_by_type_not_by_position()
    {
        var s = Decode(Kinds.GitRepository, """
            {'metadata':{'name':'a','namespace':'b'},'status':{'conditions':[
              {'type':'ArtifactInStorage','status':'True','reason':'Succeeded'},
              {'type':'FetchFailed','status':'True','reason':'AuthenticationFailed','message':'auth failed'},
              {'type':'Ready','status':'False','reason':'AuthenticationFailed','message':'auth failed'}]}}
            """);
        Assert.Equal((HealthStatus.Failed, "AuthenticationFailed"), (s.Verdict.Health, s.Verdict.Reason));
    }

    [Fact]
    public void Kustomization_details_are_filled_with_dependsOn_defaulting_to_the_own_namespace()
    {
        var s = Decode(Kinds.Kustomization, """
            {'metadata':{'name':'infrastructure-longhorn','namespace':'flux-system','generation':4},
             'spec':{'path':'./infrastructure/longhorn','interval':'10m','dependsOn':[{'name':'infrastructure-volume-snapshots'},{'name':'x','namespace':'other'}],
                     'sourceRef':{'kind':'GitRepository','name':'flux-system'}},
             'status':{'observedGeneration':4,'lastAppliedRevision':'main@sha1:a','lastAttemptedRevision':'main@sha1:b',
                       'conditions':[{'type':'Ready','status':'True','reason':'ReconciliationSucceeded'}]}}
            """);
        var d = (KustomizationDetails)s.Details;
        Assert.Equal("./infrastructure/longhorn", d.Path);
        Assert.Equal([new DependencyRef("flux-system", "infrastructure-volume-snapshots"), new DependencyRef("other", "x")], d.DependsOn);
        Assert.Equal(new SourceRef("GitRepository", "flux-system", "flux-system"), d.Source);
        Assert.Equal(("main@sha1:a", "main@sha1:b", 4L, "10m"), (d.LastAppliedRevision, d.LastAttemptedRevision, d.ObservedGeneration, d.Interval));
    }

    // ------------------------------------------------------------------ Nodes

    [Fact]
    public void Node_Ready_Unknown_is_Failed_unreachable_not_NotReady()
    {
        var s = Decode(Kinds.Node, """
            {'metadata':{'name':'mini02'},'spec':{'taints':[{'key':'node.kubernetes.io/unreachable','effect':'NoSchedule'}]},
             'status':{'conditions':[{'type':'MemoryPressure','status':'Unknown','reason':'NodeStatusUnknown'},
                                     {'type':'Ready','status':'Unknown','reason':'NodeStatusUnknown','message':'Kubelet stopped posting node status.'}]}}
            """);
        Assert.Equal((HealthStatus.Failed, "NodeStatusUnknown"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.StartsWith("unreachable", s.Verdict.Message);
    }

    [Fact]
    public void Node_health_never_substring_matches_Ready()
    {
        // A message saying "Ready" must not make a NotReady node healthy.
        var s = Decode(Kinds.Node, """
            {'metadata':{'name':'mini01'},'status':{'conditions':[
              {'type':'NetworkUnavailable','status':'False','reason':'CiliumIsUp','message':'Ready'},
              {'type':'Ready','status':'False','reason':'KubeletNotReady','message':'container runtime is down'}]}}
            """);
        Assert.Equal(HealthStatus.Failed, s.Verdict.Health);
    }

    [Theory]
    [InlineData("{'type':'DiskPressure','status':'True','reason':'KubeletHasDiskPressure'}", "false", "DiskPressure")]
    [InlineData("{'type':'MemoryPressure','status':'False'}", "true", "Cordoned")]
    public void A_Ready_node_with_pressure_or_a_cordon_is_Degraded(string extra, string unschedulable, string reason)
    {
        var s = Decode(Kinds.Node, $$$"""
            {'metadata':{'name':'mini03','labels':{'node-role.kubernetes.io/control-plane':''}},'spec':{'unschedulable':{{{unschedulable}}}},
             'status':{'conditions':[{{{extra}}},{'type':'Ready','status':'True','reason':'KubeletReady'}]}}
            """);
        Assert.Equal((HealthStatus.Degraded, reason), (s.Verdict.Health, s.Verdict.Reason));
    }

    [Fact]
    public void Node_details_read_quantities_dual_stack_addresses_and_the_Talos_version()
    {
        var s = ResourceDecoder.TryDecode(Fixtures.Load("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json"), Now)!;
        var d = (NodeDetails)s.Details;
        Assert.Equal("v1.7.2", d.TalosVersion);
        Assert.Equal(2, d.Addresses.Count(a => a.Type == "InternalIP"));
        Assert.Equal(["control-plane"], d.Roles);
        Assert.Equal("4", d.CpuCapacity);
        Assert.Equal("7.6 GiB", d.MemoryCapacity); // 8012880Ki
        Assert.Equal(("6.6.30-talos", "v1.30.1", "containerd://1.7.16"), (d.KernelVersion, d.KubeletVersion, d.ContainerRuntimeVersion));
    }

    // ------------------------------------------------------------------ Longhorn

    [Theory]
    [InlineData("detached", "unknown", HealthStatus.Healthy, "Detached")]
    [InlineData("attached", "healthy", HealthStatus.Healthy, "Attached")]
    [InlineData("attached", "degraded", HealthStatus.Degraded, "Degraded")]
    [InlineData("detached", "faulted", HealthStatus.Failed, "Faulted")]
    [InlineData("attached", "faulted", HealthStatus.Failed, "Faulted")]
    [InlineData("attaching", "unknown", HealthStatus.Progressing, "Attaching")]
    [InlineData("detaching", "healthy", HealthStatus.Progressing, "Detaching")]
    [InlineData("creating", "", HealthStatus.Progressing, "Creating")]
    public void Volume_state_and_robustness(string state, string robustness, HealthStatus health, string reason)
    {
        var s = Decode(Kinds.LonghornVolume, $$$"""
            {'metadata':{'name':'pvc-1','namespace':'longhorn-system'},'spec':{'numberOfReplicas':2,'size':'10737418240'},
             'status':{'state':'{{{state}}}','robustness':'{{{robustness}}}','actualSize':1.1344543744e+9,'lastBackup':'','lastBackupAt':''}}
            """);
        Assert.Equal((health, reason), (s.Verdict.Health, s.Verdict.Reason));
        var d = (LonghornVolumeDetails)s.Details;
        Assert.Equal((10737418240L, 1134454374L), (d.SizeBytes, d.ActualSizeBytes));
        Assert.Null(d.LastBackupAt); // "" means never, not an error
    }

    [Fact]
    public void An_attached_degraded_volume_that_cannot_schedule_replicas_names_the_cause()
    {
        var s = Decode(Kinds.LonghornVolume, """
            {'metadata':{'name':'pvc-830baa59','namespace':'longhorn-system','labels':{'recurring-job-group.longhorn.io/default':'enabled'}},
             'spec':{'numberOfReplicas':3,'size':'107374182400'},
             'status':{'state':'attached','robustness':'degraded','lastDegradedAt':'2026-06-21T13:19:13Z','shareState':'running',
                       'kubernetesStatus':{'namespace':'media','pvcName':'data','workloadsStatus':null},
                       'conditions':[{'type':'Scheduled','status':'False','reason':'ReplicaSchedulingFailure','message':'precheck new replica failed: insufficient storage; tags not fulfilled'}]}}
            """);
        Assert.Equal((HealthStatus.Degraded, "ReplicaSchedulingFailure"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("insufficient storage", s.Verdict.Message);
        var d = (LonghornVolumeDetails)s.Details;
        Assert.Equal(("media", "data"), (d.PvcNamespace, d.PvcName));
        Assert.Empty(d.Workloads);
        Assert.Equal(["default"], d.RecurringJobGroups);
        Assert.NotNull(d.LastDegradedAt);
    }

    [Fact]
    public void Longhorn_float_exponent_sizes_parse_and_a_full_disk_is_DiskPressure()
    {
        var s = Decode(Kinds.LonghornNode, """
            {'apiVersion':'longhorn.io/v1beta2','kind':'Node','metadata':{'name':'mini01','namespace':'longhorn-system'},
             'spec':{'disks':{'usb-ssd':{'path':'/var/lib/longhorn-ssd','allowScheduling':true,'storageReserved':1.0e+10,'tags':['ssd','usb']}}},
             'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Schedulable','status':'True'}],
                       'diskStatus':{'usb-ssd':{'conditions':[{'type':'Ready','status':'True','reason':''},
                          {'type':'Schedulable','status':'False','reason':'DiskPressure','message':'the disk usb-ssd is low on available space'}],
                          'storageAvailable':2.2e+10,'storageMaximum':1.1344543744e+12,'storageScheduled':'900000000000','diskPath':'/var/lib/longhorn-ssd'}}}}
            """);
        Assert.Equal((HealthStatus.Degraded, "DiskPressure"), (s.Verdict.Health, s.Verdict.Reason));
        var disk = Assert.Single(((LonghornNodeDetails)s.Details).Disks);
        Assert.Equal(1134454374400L, disk.StorageMaximumBytes);
        Assert.Equal(22000000000L, disk.StorageAvailableBytes);
        Assert.Equal(900000000000L, disk.StorageScheduledBytes);
        Assert.Equal(10000000000L, disk.StorageReservedBytes);
        Assert.Equal(["ssd", "usb"], disk.Tags);
        Assert.True(disk.Ready);
        Assert.False(disk.Schedulable);
    }

    [Fact]
    public void A_bare_diskStatus_entry_fragment_is_read_as_a_one_disk_node()
    {
        var s = Decode(Kinds.LonghornNode, """
            {'conditions':[{'type':'Ready','status':'True'},{'type':'Schedulable','status':'False','reason':'DiskPressure','message':'low space'}],
             'diskName':'default-disk-fd0100000000','diskPath':'/var/lib/longhorn/','storageAvailable':5.0e+09,'storageMaximum':1.1344543744e+12,'storageScheduled':0}
            """);
        Assert.Equal((HealthStatus.Degraded, "DiskPressure"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Equal("default-disk-fd0100000000", Assert.Single(((LonghornNodeDetails)s.Details).Disks).Name);
    }

    [Fact]
    public void Longhorn_node_conditions_may_be_a_map_keyed_by_type()
    {
        var s = Decode(Kinds.LonghornNode, """
            {'metadata':{'name':'n1'},'status':{'conditions':{'Ready':{'type':'Ready','status':'False','reason':'ManagerPodDown','message':'manager pod is down'},
                                                           'Schedulable':{'status':'True'}}}}
            """);
        Assert.Equal((HealthStatus.Failed, "ManagerPodDown"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Equal("Schedulable", s.Conditions[1].Type);
    }

    [Theory]
    [InlineData("Completed", HealthStatus.Healthy)]
    [InlineData("Error", HealthStatus.Failed)]
    [InlineData("InProgress", HealthStatus.Progressing)]
    [InlineData("Pending", HealthStatus.Progressing)]
    [InlineData("", HealthStatus.Progressing)]
    [InlineData("Unknown", HealthStatus.Unknown)]
    public void Backup_states(string state, HealthStatus health)
    {
        var s = Decode(Kinds.LonghornBackup, $$$"""{'metadata':{'name':'b'},'status':{'state':'{{{state}}}','progress':40,'size':'283115520'}}""");
        Assert.Equal(health, s.Verdict.Health);
        Assert.Equal(283115520L, ((LonghornBackupDetails)s.Details).SizeBytes);
    }

    // ------------------------------------------------------------------ BGP and IP pools

    [Fact]
    public void An_empty_NodeConfig_status_means_no_data_not_down()
    {
        var s = Decode(Kinds.BgpNodeConfig, "{'metadata':{'name':'mini01'},'spec':{'bgpInstances':[]},'status':{}}");
        Assert.Equal((HealthStatus.Unknown, "NoSessionData"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("status reporting may be disabled", s.Verdict.Message);
    }

    [Fact]
    public void A_peer_that_is_not_established_fails_the_node_and_is_named()
    {
        var s = ResourceDecoder.TryDecode(Fixtures.Load("cilium/bgpnodeconfig-peer-active-synth.json"), Now)!;
        Assert.Equal((HealthStatus.Failed, "SessionNotEstablished"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("10.10.0.1", s.Verdict.Message);
        Assert.Contains("active", s.Verdict.Message);
        var peer = Assert.Single(((BgpDetails)s.Details).Peers);
        Assert.Equal(("talos-worker-1", 64514L, 64513L, false), (peer.Node, peer.LocalAsn, peer.PeerAsn, peer.Established));
    }

    [Fact]
    public void The_PeeringPolicy_is_config_only_and_says_where_session_state_lives()
    {
        var s = ResourceDecoder.TryDecode(Fixtures.Load("cilium/bgppeeringpolicy-v2alpha1-docs.json"), Now)!;
        Assert.Equal((HealthStatus.Healthy, "ConfigOnly"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("has no status", s.Verdict.Message);
        var d = (BgpDetails)s.Details;
        Assert.Equal(BgpApi.V1PeeringPolicy, d.Api);
        Assert.Equal(("10.0.0.1/32", 64512L), (d.Peers[0].PeerAddress, d.Peers[0].PeerAsn));
    }

    [Theory]
    [InlineData(Kinds_PeerConfig, "cilium.io/MissingAuthSecret", "True", HealthStatus.Failed, "MissingAuthSecret")]
    [InlineData(Kinds_PeerConfig, "cilium.io/MissingAuthSecret", "False", HealthStatus.Healthy, "Valid")]
    [InlineData(Kinds_ClusterConfig, "cilium.io/NoMatchingNode", "True", HealthStatus.Degraded, "NoMatchingNode")]
    [InlineData(Kinds_ClusterConfig, "cilium.io/MissingPeerConfigs", "True", HealthStatus.Failed, "MissingPeerConfigs")]
    public void BGPv2_config_conditions_have_negative_polarity(string kindKey, string type, string status, HealthStatus health, string reason)
    {
        var s = Decode(Kinds.FindByKey(kindKey)!, $$$"""
            {'metadata':{'name':'c'},'spec':{'bgpInstances':[{'localASN':64512,'peers':[{'name':'udm','peerASN':64513,'peerAddress':'172.29.51.1'}]}]},
             'status':{'conditions':[{'type':'{{{type}}}','status':'{{{status}}}','reason':'r'}]}}
            """);
        Assert.Equal((health, reason), (s.Verdict.Health, s.Verdict.Reason));
    }

    private const string Kinds_PeerConfig = "CiliumBGPPeerConfig.cilium.io";
    private const string Kinds_ClusterConfig = "CiliumBGPClusterConfig.cilium.io";

    [Theory]
    [InlineData("false", "[]", HealthStatus.Healthy, "ConfigOnly")]
    [InlineData("true", "[]", HealthStatus.Suspended, "Disabled")]
    [InlineData("false", "[{'type':'cilium.io/PoolConflict','status':'True','message':'overlaps bgp-ingress'}]", HealthStatus.Failed, "PoolConflict")]
    [InlineData("false", "[{'type':'cilium.io/IPsTotal','status':'Unknown','message':'100'},{'type':'cilium.io/IPsAvailable','status':'Unknown','message':'0'}]", HealthStatus.Degraded, "IPsExhausted")]
    [InlineData("false", "[{'type':'cilium.io/IPsExhausted','status':'True'}]", HealthStatus.Degraded, "IPsExhausted")]
    [InlineData("false", "[{'type':'cilium.io/IPsTotal','status':'Unknown','message':'100'},{'type':'cilium.io/IPsAvailable','status':'Unknown','message':'97'}]", HealthStatus.Healthy, "Available")]
    public void IP_pool_rules(string disabled, string conditions, HealthStatus health, string reason)
    {
        var s = Decode(Kinds.LoadBalancerIPPool, $$$"""
            {'metadata':{'name':'bgp-default'},'spec':{'disabled':{{{disabled}}},'blocks':[{'start':'172.29.52.100','stop':'172.29.52.199'}],
             'serviceSelector':{'matchLabels':{'io.cilium/lb-ipam-pool':'bgp-default'} } },'status':{'conditions':{{{conditions}}} }}
            """);
        Assert.Equal((health, reason), (s.Verdict.Health, s.Verdict.Reason));
        var d = (IpPoolDetails)s.Details;
        Assert.Equal(["172.29.52.100-172.29.52.199"], d.Blocks);
        Assert.Equal("io.cilium/lb-ipam-pool=bgp-default", d.ServiceSelector);
    }

    // ------------------------------------------------------------------ Malformed input

    [Theory]
    [InlineData("{'metadata':{'name':'x'},'status':'broken'}", "status is a string")]
    [InlineData("{'metadata':[],'status':{}}", "metadata is an array")]
    [InlineData("{'metadata':{'name':'x'},'status':{'conditions':42}}", "status.conditions is a number")]
    public void A_wrongly_shaped_field_yields_Unknown_Malformed_naming_the_field(string json, string expected)
    {
        foreach (var kind in Kinds.Watched)
        {
            var s = Decode(kind, json);
            Assert.Equal(HealthStatus.Unknown, s.Verdict.Health);
            Assert.Equal("Malformed", s.Verdict.Reason);
            Assert.Contains(expected, s.Verdict.Message);
        }
    }

    [Fact]
    public void A_broken_display_only_field_does_not_hide_the_verdict()
    {
        var s = Decode(Kinds.Node, "{'metadata':{'name':'mini01'},'spec':{'taints':'x'},'status':{'nodeInfo':'garbage','addresses':7,'conditions':[{'type':'Ready','status':'True','reason':'KubeletReady'}]}}");
        Assert.Equal((HealthStatus.Healthy, "KubeletReady"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Empty(((NodeDetails)s.Details).Addresses);
    }

    [Fact]
    public void A_non_object_document_is_Malformed_not_an_exception()
    {
        var s = Decode(Kinds.Node, "[1,2,3]");
        Assert.Equal(("Malformed", HealthStatus.Unknown), (s.Verdict.Reason, s.Verdict.Health));
        Assert.Null(ResourceDecoder.TryDecode(Json.Parse("'just a string'"), Now));
    }

    [Fact]
    public void Raw_status_is_truncated_to_64_KiB_with_a_marker()
    {
        var big = new string('x', 200_000);
        var s = Decode(Kinds.Kustomization, $"{{'metadata':{{'name':'a'}},'status':{{'conditions':[{{'type':'Ready','status':'False','reason':'BuildFailed','message':'{big}'}}]}}}}");
        Assert.Equal(HealthStatus.Failed, s.Verdict.Health);
        Assert.True(s.RawStatus.Length < ObjectParts.RawStatusLimit + 100);
        Assert.Contains("[truncated:", s.RawStatus.ToString());
        Assert.Equal(big.Length, s.Verdict.Message.Length); // the verdict keeps the message; views truncate for display
    }

    [Fact]
    public void Hostile_names_are_kept_verbatim_for_the_views_to_escape()
    {
        var s = Decode(Kinds.Node, "{'metadata':{'name':'<script>alert(1)</script>'},'status':{'conditions':[{'type':'Ready','status':'True'}]}}");
        Assert.Equal("<script>alert(1)</script>", s.Meta.Name);
        Assert.Equal(HealthStatus.Healthy, s.Verdict.Health);
    }
}
