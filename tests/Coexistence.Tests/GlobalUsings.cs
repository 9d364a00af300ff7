global using Coexistence.Http;
global using Coexistence.Operations;
global using Xunit;
