namespace Coexistence.Operations;

/// <summary>How an erasure request ended.</summary>
public enum ErasureOutcome
{
    /// <summary>A dry run: the counts say what would go; nothing was written or deleted.</summary>
    Planned,
    /// <summary>Everything is deleted and the record says <c>erased</c>.</summary>
    Erased,
    /// <summary>Nothing is stored of the number (no rows, no archive folder, no registry row, no earlier erasure).</summary>
    UnknownNumber,
    /// <summary>The number is known, but nothing is stored of the customer (nor was an erasure of them recorded).</summary>
    UnknownCustomer,
}
