namespace Coexistence.Queries;

internal enum PageDirection { After, Before }
