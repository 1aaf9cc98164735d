using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// Keeps the host's data-protection key ring in memory. Without it ASP.NET Core's default key manager still loads,
/// and writes, keys under ~/.aspnet/DataProtection-Keys at startup, even though the ephemeral provider does the work.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_elements)
        {
            return _elements.Select(e => new XElement(e)).ToArray();
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_elements)
        {
            _elements.Add(new XElement(element));
        }
    }
}
