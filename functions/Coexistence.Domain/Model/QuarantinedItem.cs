namespace Coexistence.Model;

/// <summary>An item that could not be used, kept with its reason where an operator can find it.</summary>
internal sealed record QuarantinedItem(string Pointer, string Reason, string ItemJson);
