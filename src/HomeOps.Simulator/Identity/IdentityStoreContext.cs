using Microsoft.EntityFrameworkCore;

namespace HomeOps.Simulator.Identity;

/// <summary>OpenIddict's applications, authorizations and tokens, in an in-memory database owned by one provider host.</summary>
internal sealed class IdentityStoreContext(DbContextOptions<IdentityStoreContext> options) : DbContext(options);
