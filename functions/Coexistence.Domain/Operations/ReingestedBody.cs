using System.Globalization;
using Azure.Storage.Blobs.Models;
using Coexistence.Intake;
using Coexistence.Archive;
using Coexistence.Http;
using Coexistence.Model;
using Coexistence.Processing;

namespace Coexistence.Operations;

/// <summary>One archived body re-run through the door.</summary>
public sealed record ReingestedBody(string ArchiveBlob, IntakeOutcome Outcome, string? ProblemCode);
