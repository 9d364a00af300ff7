namespace Coexistence.Changes;

/// <summary>Bytes [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Length"/>) of a blob.</summary>
internal readonly record struct PayloadRange(long Offset, long Length)
{
    public override string ToString() => $"offset {Offset}, length {Length}";
}
