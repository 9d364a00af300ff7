using System.Globalization;
using Azure.Storage.Blobs.Models;
using Coexistence.Intake;
using Coexistence.Archive;
using Coexistence.Http;
using Coexistence.Model;
using Coexistence.Processing;

namespace Coexistence.Operations;

/// <summary>Where a re-ingest stands, for a progress display.</summary>
public readonly record struct ReingestProgress(int BodiesDone, int BodiesTotal, bool Draining);
