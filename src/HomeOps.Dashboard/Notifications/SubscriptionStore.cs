using System.Text.Json;
using System.Text.Json.Serialization;
using HomeOps.Dashboard.Hosting;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Notifications;

/// <summary>The users' subscriptions, one JSON file (owner-only) in the data directory; read once, written on every change.</summary>
public sealed class SubscriptionStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly Lock _gate = new();
    private readonly string _path;
    private Dictionary<string, NotificationSubscription> _byUser;

    public SubscriptionStore(IOptions<NotificationOptions> options, IConfiguration configuration, IHostEnvironment environment)
        : this(options.Value.StorePath ?? Path.Combine(OperationsHosting.DataDirectory(configuration, environment), "notifications.json"))
    {
    }

    public SubscriptionStore(string path)
    {
        _path = path;
        _byUser = File.Exists(path)
            ? (JsonSerializer.Deserialize<List<NotificationSubscription>>(File.ReadAllText(path), Json) ?? [])
                .ToDictionary(s => s.User, StringComparer.Ordinal)
            : new Dictionary<string, NotificationSubscription>(StringComparer.Ordinal);
    }

    public NotificationSubscription? Get(string user)
    {
        lock (_gate) return _byUser.GetValueOrDefault(user);
    }

    public IReadOnlyList<NotificationSubscription> All()
    {
        lock (_gate) return [.. _byUser.Values];
    }

    /// <summary>
    /// Saves the user's choices. Whether they may receive anything (<see cref="NotificationSubscription.PausedBecause"/>)
    /// is kept as stored: only what the dashboard learns from sign-in and Authentik changes it (<see cref="SetPaused"/>).
    /// </summary>
    public void Save(NotificationSubscription subscription)
    {
        lock (_gate)
        {
            _byUser[subscription.User] = subscription with { PausedBecause = _byUser.GetValueOrDefault(subscription.User)?.PausedBecause };
            Write();
        }
    }

    /// <summary>Pauses (a reason) or resumes (null) the user's subscription; false when there is none or nothing changed.</summary>
    public bool SetPaused(string user, string? reason)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(user, out var s) || (s.PausedBecause is null) == (reason is null)) return false;
            _byUser[user] = s with { PausedBecause = reason };
            Write();
            return true;
        }
    }

    /// <summary>Deletes the user's subscription; false when there was none.</summary>
    public bool Remove(string user)
    {
        lock (_gate)
        {
            if (!_byUser.Remove(user)) return false;
            Write();
            return true;
        }
    }

    /// <summary>Drops a push device the push service says is gone (404/410).</summary>
    public void RemoveDevice(string user, string endpoint)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(user, out var s)) return;
            _byUser[user] = s with { Devices = [.. s.Devices.Where(d => d.Endpoint != endpoint)] };
            Write();
        }
    }

    private void Write()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var temp = _path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(_byUser.Values.ToList(), Json));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, _path, overwrite: true);
    }
}
