using System.CommandLine;
using System.Text;
using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Webhooks;
using Spectre.Console;
using Coexistence.Operations;
using Coexistence.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Coexistence.Cli;

/// <summary>Where an ingest run stands, for a progress display.</summary>
internal readonly record struct IngestStep(int FilesReceived, int FilesTotal, bool Draining);
