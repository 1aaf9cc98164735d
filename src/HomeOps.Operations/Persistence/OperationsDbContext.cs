using HomeOps.Operations.Audit;
using HomeOps.Operations.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HomeOps.Operations.Persistence;

/// <summary>Runs, their steps, and the audit log, in one database (SQLite by default, PostgreSQL when configured).</summary>
public sealed class OperationsDbContext(DbContextOptions<OperationsDbContext> options) : DbContext(options)
{
    public DbSet<RunRecord> Runs => Set<RunRecord>();
    public DbSet<StepRecord> Steps => Set<StepRecord>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<TimelineObjectState> TimelineObjects => Set<TimelineObjectState>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite has no timestamp type and cannot compare or order DateTimeOffset text; store UTC ticks there.
        // PostgreSQL keeps native timestamptz.
        if (Database.IsSqlite())
        {
            builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            builder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<RunRecord>(e =>
        {
            e.ToTable("runs");
            e.HasKey(r => r.Id);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
            e.Property(r => r.WorkflowId).HasMaxLength(200);
            e.Property(r => r.RequestedBy).HasMaxLength(200);
            e.HasIndex(r => r.Status);
            e.HasIndex(r => r.CreatedAt);
            e.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<StepRecord>(e =>
        {
            e.ToTable("run_steps");
            e.HasKey(s => s.Id);
            e.Property(s => s.Status).HasConversion<string>().HasMaxLength(32);
            e.Property(s => s.ProcessHost).HasMaxLength(SchemaUpgrade.ProcessHostLength);
            e.HasIndex(s => new { s.RunId, s.Ordinal }).IsUnique();
        });
        model.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit");
            e.HasKey(a => a.Id);
            e.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(32);
            e.Property(a => a.User).HasMaxLength(200);
            e.Property(a => a.Action).HasMaxLength(200);
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.User);
            e.HasIndex(a => a.Action);
        });
        model.Entity<SessionRecord>(e =>
        {
            // Kept in step with SchemaUpgrade's CREATE TABLE for databases created before sessions existed.
            e.ToTable("sessions");
            e.HasKey(s => s.Key);
            e.Property(s => s.Key).HasMaxLength(SessionRecord.KeyLength);
            e.Property(s => s.User).HasMaxLength(SessionRecord.UserLength);
            e.HasIndex(s => s.ExpiresAt);
        });
        model.Entity<TimelineEntry>(e =>
        {
            // Kept in step with SchemaUpgrade's CREATE TABLE for databases created before the timeline existed.
            e.ToTable("timeline");
            e.HasKey(t => t.Id);
            e.Property(t => t.Category).HasConversion<string>().HasMaxLength(32);
            e.Property(t => t.Area).HasMaxLength(32);
            e.Property(t => t.Kind).HasMaxLength(100);
            e.Property(t => t.Namespace).HasMaxLength(TimelineEntry.NameLength);
            e.Property(t => t.Name).HasMaxLength(TimelineEntry.NameLength);
            e.Property(t => t.Summary).HasMaxLength(TimelineEntry.SummaryLength);
            e.Property(t => t.From).HasMaxLength(TimelineEntry.ShortLength);
            e.Property(t => t.To).HasMaxLength(TimelineEntry.ShortLength);
            e.Property(t => t.Link).HasMaxLength(TimelineEntry.LinkLength);
            e.Ignore(t => t.ObjectName);
            e.Ignore(t => t.MergeUnder);
            e.Ignore(t => t.MergeKey);
            e.HasIndex(t => t.At);
        });
        model.Entity<TimelineObjectState>(e =>
        {
            e.ToTable("timeline_objects");
            e.HasKey(t => t.Key);
            e.Property(t => t.Key).HasMaxLength(TimelineObjectState.KeyLength);
            e.Property(t => t.Health).HasMaxLength(32);
            foreach (var p in new[] { nameof(TimelineObjectState.Revision), nameof(TimelineObjectState.ChartVersion), nameof(TimelineObjectState.AppVersion),
                         nameof(TimelineObjectState.BootId), nameof(TimelineObjectState.TalosVersion), nameof(TimelineObjectState.KubeletVersion) })
                e.Property<string?>(p).HasMaxLength(TimelineEntry.ShortLength);
        });
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
