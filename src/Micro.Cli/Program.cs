using Micro.Cli;

// A closed or full stderr loses the message, never aborts the run.
Console.SetError(new QuietWriter(Console.Error));
return await CliApp.RunAsync(args);
