// The domain's namespaces, for the tests and for the harnesses that link this file (soak, benchmarks).
// Each of the three uses only part of them, so "unnecessary" depends on which one compiles it.
#pragma warning disable IDE0005
global using Coexistence.Archive;
global using Coexistence.Changes;
global using Coexistence.Intake;
global using Coexistence.Model;
global using Coexistence.Processing;
global using Coexistence.Queries;
global using Coexistence.Queueing;
global using Coexistence.Storage;
global using Coexistence.Tables;
global using Coexistence.Webhooks;
