global using Coexistence.Archive;
global using Coexistence.Intake;
global using Coexistence.Model;
global using Coexistence.Processing;
global using Coexistence.Queueing;
global using Coexistence.Storage;
global using Coexistence.Tables;
global using Coexistence.Webhooks;
