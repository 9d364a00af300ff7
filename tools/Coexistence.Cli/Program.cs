using Coexistence.Cli;

// `coexistence`: the commands are wired in CliApp; this file only connects them to the real console.
return await CliApp.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
