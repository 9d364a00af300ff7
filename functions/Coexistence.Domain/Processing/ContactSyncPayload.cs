using Coexistence.Model;

namespace Coexistence.Processing;

internal sealed record ContactSyncPayload(IReadOnlyList<ContactAction> Actions, IReadOnlyList<QuarantinedItem> Quarantined);
